package io.lakeshift.camel.file;

import io.lakeshift.camel.config.FileSettings;
import io.lakeshift.camel.config.SourceSpec;
import io.lakeshift.camel.kafka.RecordMessages;
import io.lakeshift.camel.record.RecordLayout;
import io.lakeshift.camel.record.RecordReader;
import io.lakeshift.camel.record.RecordReaders;
import io.lakeshift.camel.record.UnreadableInputException;
import io.lakeshift.camel.route.SourceHandler;
import io.lakeshift.camel.status.SourceMonitor;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of one file source's route (template {@code lakeshift-file-source}): fingerprint a
 * picked-up file, read its records for the splitter, account for them, and deal with duplicates and
 * unreadable files. The route moves the file to the folder this bean names in {@link #MOVE_TO}.
 */
public final class FileSource implements SourceHandler {

    /** Header with the file's key in the processed-files log. */
    public static final String KEY_HEADER = "LakeshiftFileKey";
    /** Exchange property: the folder the file moves to when the exchange completes. */
    public static final String MOVE_TO = "LakeshiftMoveTo";
    private static final String RECORDS = "LakeshiftFileRecords";
    /**
     * Batches read ahead while earlier ones are sent: enough to keep reading (one core) and sending
     * (another) busy at once, few enough to keep memory flat (a batch is batchSize events).
     */
    static final int READ_AHEAD_BATCHES = 2;

    private static final Logger LOG = LoggerFactory.getLogger(FileSource.class);

    private final SourceSpec.File spec;
    private final RecordLayout layout;
    private final CamelContext context;
    private final ProcessedFiles processedFiles;
    private final SourceMonitor monitor;
    private final Path inbox;
    private final Path doneDir;
    private final Path errorDir;
    private final ExecutorService readers;

    /**
     * @param readers the thread that reads files ahead of the route (one, so files are read one at a time)
     */
    public FileSource(SourceSpec.File spec, CamelContext context, Path stateDir, SourceMonitor monitor, ExecutorService readers) {
        this.spec = spec;
        this.layout = spec.layout();
        this.context = context;
        this.processedFiles = new ProcessedFiles(stateDir);
        this.monitor = monitor;
        this.readers = readers;
        FileSettings s = spec.settings();
        this.inbox = Path.of(s.directory()).toAbsolutePath().normalize();
        this.doneDir = inbox.resolve(s.doneDirectory()).normalize();
        this.errorDir = inbox.resolve(s.errorDirectory()).normalize();
        monitor.detail("directory", inbox.toString());
        monitor.detail("topic", spec.table().topic());
    }

    public ProcessedFiles processedFiles() {
        return processedFiles;
    }

    public Path inbox() {
        return inbox;
    }

    public Path doneDirectory() {
        return doneDir;
    }

    public Path errorDirectory() {
        return errorDir;
    }

    /** First step: names the file's key (its fingerprint) and where it goes when all went well. */
    public void intake(Exchange exchange) throws IOException, UnreadableInputException {
        exchange.setProperty(SourceHandler.PROPERTY, this);
        exchange.setProperty(MOVE_TO, doneDir.toString());
        Path file = file(exchange);
        String key = FileFingerprint.of(file, file.getFileName().toString(), layout.charset());
        exchange.getIn().setHeader(KEY_HEADER, key);
    }

    /**
     * The file's records as Kafka messages, for the splitter. The file's sequence number is written
     * down before the first record is read, so a redo after a crash repeats the same positions.
     */
    public FileRecords records(Exchange exchange) throws IOException, UnreadableInputException {
        Path file = file(exchange);
        String name = file.getFileName().toString();
        long sequence = processedFiles.sequenceOf(exchange.getIn().getHeader(KEY_HEADER, String.class));
        Reader text = RecordReaders.decode(new BufferedInputStream(Files.newInputStream(file), 64 * 1024), layout.charset());
        try {
            RecordReader reader = RecordReaders.open(text, layout);
            FileRecords records = new FileRecords(reader, text, new RecordMessages(context, spec.table(), reader.schema()),
                    name, sequence, Files.getLastModifiedTime(file).toMillis(), spec.settings().batchSize(), READ_AHEAD_BATCHES);
            records.start(readers);
            exchange.setProperty(RECORDS, records);
            monitor.detail("currentFile", name);
            LOG.info("Source '{}': reading {} (file sequence {}) into {}", spec.name(), name, sequence, spec.table().topic());
            return records;
        } catch (IOException | UnreadableInputException | RuntimeException e) {
            text.close();
            throw e;
        }
    }

    /** After each batch Kafka acknowledged. */
    public void acknowledged(Exchange exchange) {
        List<?> batch = exchange.getIn().getBody(List.class);
        monitor.add("acknowledged", batch == null ? 0 : batch.size());
    }

    /** Last step: every record was read and acknowledged; accounts for the file. */
    public void finish(Exchange exchange) {
        FileRecords records = exchange.getProperty(RECORDS, FileRecords.class);
        String name = file(exchange).getFileName().toString();
        if (records == null || !records.finished()) {
            throw new IllegalStateException("file " + name + " was not read to its end");
        }
        LOG.info("Source '{}': file {}: records read {} = events produced {} + records dead-lettered {}",
                spec.name(), name, records.read(), records.events(), records.deadLetters());
        monitor.add("files", 1);
        monitor.add("records", records.read());
        monitor.add("events", records.events());
        monitor.add("deadLetters", records.deadLetters());
        monitor.detail("lastFile", name);
        monitor.detail("currentFile", null);
        if (records.lastPosition() != null) {
            monitor.detail("lastPosition", records.lastPosition());
        }
    }

    /** A file with the name, size and checksum of one processed before: not read again. */
    public void duplicate(Exchange exchange) {
        LOG.info("Source '{}': {} was processed before (same name, size and checksum); not read again, moved to {}",
                spec.name(), file(exchange).getFileName(), doneDir);
        monitor.add("duplicateFiles", 1);
    }

    @Override
    public void unreadable(Exchange exchange, Exception cause) {
        exchange.setProperty(MOVE_TO, errorDir.toString());
        String name = file(exchange).getFileName().toString();
        String reason = cause == null ? "unknown" : cause.getMessage();
        try {
            Files.createDirectories(errorDir);
            Files.writeString(errorDir.resolve(name + ".reason.txt"),
                    "source: " + spec.name() + "\nfile: " + name + "\ntime: " + Instant.now() + "\nreason: " + reason + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.error("Source '{}': cannot write the reason file for {} in {}", spec.name(), name, errorDir, e);
        }
        LOG.warn("Source '{}': {} cannot be read ({}); moved to {}", spec.name(), name, reason, errorDir);
        monitor.add("unreadableFiles", 1);
        monitor.detail("lastError", name + ": " + reason);
        monitor.detail("currentFile", null);
    }

    @Override
    public void failed(Exchange exchange, Exception cause) {
        Path file = file(exchange);
        LOG.error("Source '{}': processing {} failed; the file stays in {} and will be read again from its start",
                spec.name(), file.getFileName(), inbox, cause);
        monitor.detail("lastError", file.getFileName() + ": " + (cause == null ? "unknown" : cause.getMessage()));
        monitor.detail("currentFile", null);
    }

    private static Path file(Exchange exchange) {
        GenericFile<?> file = exchange.getProperty(Exchange.FILE_EXCHANGE_FILE, GenericFile.class);
        if (file == null) {
            throw new IllegalStateException("exchange " + exchange.getExchangeId() + " does not come from a file endpoint");
        }
        return Path.of(file.getAbsoluteFilePath());
    }
}
