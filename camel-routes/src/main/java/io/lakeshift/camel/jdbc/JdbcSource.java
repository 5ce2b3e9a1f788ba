package io.lakeshift.camel.jdbc;

import io.lakeshift.camel.config.JdbcSettings;
import io.lakeshift.camel.config.SourceSpec;
import io.lakeshift.camel.kafka.EnvelopeWriter;
import io.lakeshift.camel.kafka.OutboundMessages;
import io.lakeshift.camel.route.SourceHandler;
import io.lakeshift.camel.status.SourceMonitor;
import io.lakeshift.core.envelope.Op;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of one JDBC polling route (template {@code lakeshift-jdbc-source}): {@link #fetch} reads
 * the next batch of rows after the stored watermark, the route sends them to Kafka, and
 * {@link #commit} stores the new watermark only once Kafka acknowledged the batch. A crash in between
 * reads the batch again; its events carry the same {@code source.seq}, so the sink drops them.
 *
 * <p>Every row becomes an event with op {@code c} (polling cannot tell an insert from an update; the
 * sink upserts both alike), {@code source.seq} = [watermark as a number, 0] and {@code source.position}
 * naming the watermark and key. Deletes are not seen; rows committed later with a watermark below the
 * stored one are missed (the limits of watermark polling; use CDC where they matter).
 */
public final class JdbcSource implements SourceHandler {

    static final String ROWS = "LakeshiftRows";
    static final String MORE = "LakeshiftMoreRows";
    private static final String NEXT_WATERMARK = "LakeshiftNextWatermark";
    private static final String DEAD_LETTERS = "LakeshiftDeadLetters";

    private static final Logger LOG = LoggerFactory.getLogger(JdbcSource.class);

    private final SourceSpec.Jdbc spec;
    private final JdbcSettings settings;
    private final CamelContext context;
    private final WatermarkStore store;
    private final SourceMonitor monitor;
    private final OutboundMessages messages;
    private TableShape shape;
    private EnvelopeWriter writer;
    private int deadLettersInBatch;

    public JdbcSource(SourceSpec.Jdbc spec, CamelContext context, Path stateDir, SourceMonitor monitor) {
        this.spec = spec;
        this.settings = spec.settings();
        this.context = context;
        this.store = new WatermarkStore(stateDir);
        this.monitor = monitor;
        this.messages = new OutboundMessages(context, spec.table());
        monitor.detail("topic", spec.table().topic());
        store.load().ifPresent(w -> monitor.detail("watermark", String.valueOf(w.value())));
    }

    /** Reads the next batch: body = its messages, {@value #ROWS} = how many, {@value #MORE} = whether more may follow. */
    public void fetch(Exchange exchange) throws SQLException {
        exchange.setProperty(SourceHandler.PROPERTY, this);
        List<Message> batch = new ArrayList<>();
        Watermark last = null;
        deadLettersInBatch = 0;
        try (Connection connection = connect()) {
            if (shape == null) {
                shape = TableShape.read(connection, spec.sourceSchema(), spec.sourceTable(), settings.watermarkColumn(), settings.key());
                writer = new EnvelopeWriter(spec.table(), shape.envelopeColumns(), shape.keyIndexes());
                LOG.info("Source '{}': polling {} by {} (key {}) into {}", spec.name(), shape.qualifiedTable(),
                        shape.names().get(shape.watermarkIndex()), keyNames(), spec.table().topic());
            }
            Optional<Watermark> after = current();
            try (PreparedStatement st = connection.prepareStatement(shape.query(after.isEmpty()))) {
                st.setMaxRows(settings.batchSize());
                st.setFetchSize(settings.batchSize());
                if (after.isPresent()) {
                    shape.bind(st, after.get());
                }
                try (ResultSet rs = st.executeQuery()) {
                    Object[] values = new Object[shape.columnCount()];
                    while (rs.next() && batch.size() < settings.batchSize()) {
                        last = readRow(rs, values, batch);
                    }
                }
            }
        }
        exchange.getIn().setBody(batch);
        exchange.setProperty(ROWS, batch.size());
        exchange.setProperty(MORE, batch.size() >= settings.batchSize());
        exchange.setProperty(NEXT_WATERMARK, last);
        exchange.setProperty(DEAD_LETTERS, deadLettersInBatch);
    }

    /** After Kafka acknowledged the batch: the watermark moves past it. */
    public void commit(Exchange exchange) {
        Watermark next = exchange.getProperty(NEXT_WATERMARK, Watermark.class);
        int rows = exchange.getProperty(ROWS, 0, Integer.class);
        int deadLetters = exchange.getProperty(DEAD_LETTERS, 0, Integer.class);
        if (next != null) {
            store.save(next);
            monitor.detail("watermark", String.valueOf(next.value()));
            monitor.detail("lastPosition", position(next));
        }
        monitor.add("records", rows);
        monitor.add("events", rows - deadLetters);
        monitor.add("deadLetters", deadLetters);
        LOG.debug("Source '{}': {} rows acknowledged, watermark now {}", spec.name(), rows, next);
    }

    private Watermark readRow(ResultSet rs, Object[] values, List<Message> batch) throws SQLException {
        int w = shape.watermarkIndex();
        Object watermark = JdbcValues.read(rs, w + 1, shape.type(w));
        List<Object> key = new ArrayList<>();
        for (int k : shape.keyIndexes()) {
            key.add(JdbcValues.read(rs, k + 1, shape.type(k)));
        }
        Watermark mark = new Watermark(watermark, key);
        String position = position(mark);
        try {
            for (int i = 0; i < values.length; i++) {
                values[i] = JdbcValues.read(rs, i + 1, shape.type(i));
            }
            long seq = JdbcValues.sequenceOf(shape.type(w), watermark);
            batch.add(messages.event(writer.key(values), writer.value(Op.CREATE, values, position, seq, 0,
                    seqTimestamp(watermark), System.currentTimeMillis())));
        } catch (IllegalArgumentException e) {
            batch.add(messages.deadLetter(rowText(rs), e.getMessage(), spec.table().schema() + "." + spec.table().table() + "@" + position));
            deadLettersInBatch++;
        }
        return mark;
    }

    private long seqTimestamp(Object watermark) {
        return switch (shape.type(shape.watermarkIndex()).kind()) {
            case TIMESTAMP, TIMESTAMPTZ -> JdbcValues.sequenceOf(shape.type(shape.watermarkIndex()), watermark) / 1000;
            default -> System.currentTimeMillis();
        };
    }

    private String position(Watermark mark) {
        StringBuilder sb = new StringBuilder(settings.watermarkColumn()).append('=').append(mark.value());
        List<String> keys = keyNames();
        for (int i = 0; i < mark.key().size() && i < keys.size(); i++) {
            sb.append(' ').append(keys.get(i)).append('=').append(mark.key().get(i));
        }
        return sb.toString();
    }

    private List<String> keyNames() {
        List<String> out = new ArrayList<>();
        if (shape != null) {
            for (int k : shape.keyIndexes()) {
                out.add(shape.names().get(k));
            }
        }
        return out;
    }

    private static String rowText(ResultSet rs) throws SQLException {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            sb.append(i > 1 ? ", " : "").append(rs.getMetaData().getColumnLabel(i)).append('=').append(rs.getString(i));
        }
        return sb.append('}').toString();
    }

    private Optional<Watermark> current() {
        Optional<Watermark> stored = store.load();
        if (stored.isPresent() || settings.initialWatermark() == null) {
            return stored;
        }
        return Optional.of(new Watermark(settings.initialWatermark(), List.of()));
    }

    private Connection connect() throws SQLException {
        return JdbcConnections.open(spec);
    }

    @Override
    public void failed(Exchange exchange, Exception cause) {
        LOG.error("Source '{}': polling failed; the watermark stays where it was and the next poll reads again from there",
                spec.name(), cause);
        monitor.detail("lastError", cause == null ? "unknown" : cause.getMessage());
    }
}
