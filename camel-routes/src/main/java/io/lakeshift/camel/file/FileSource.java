package io.lakeshift.camel.file;

import io.lakeshift.camel.config.FileSettings;
import io.lakeshift.camel.config.SftpLocation;
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
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of one file source's route (template {@code lakeshift-file-source}): check and
 * fingerprint a picked-up file, read its records for the splitter, account for them, and deal with
 * duplicates and unreadable or refused files. The route moves the file to the folder this bean names
 * in {@link #MOVE_TO}. The folder is local or on an SFTP server ({@link DropFolder}); the steps are
 * the same.
 */
public final class FileSource implements SourceHandler {

    /** Header with the file's key in the processed-files log. */
    public static final String KEY_HEADER = "LakeshiftFileKey";
    /** Exchange property: the folder the file moves to when the exchange completes. */
    public static final String MOVE_TO = "LakeshiftMoveTo";
    private static final String RECORDS = "LakeshiftFileRecords";
    private static final String CONTENT = "LakeshiftFileContent";
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
    private final DropFolder folder;
    private final ExecutorService readers;
    private final DropPollStrategy pollStrategy;

    /**
     * @param stateDir the source's own state folder (processed-files log, SFTP downloads)
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
        SftpLocation sftp = s.sftp();
        this.folder = sftp != null
                ? new SftpDropFolder(spec, sftp, stateDir.resolve("sftp-work"), context)
                : new LocalDropFolder(spec.name(), Path.of(s.directory()), s.doneDirectory(), s.errorDirectory());
        this.pollStrategy = new DropPollStrategy(spec.name(), folder.describe(), monitor);
        monitor.detail("directory", folder.describe());
        monitor.detail("topic", spec.table().topic());
    }

    public ProcessedFiles processedFiles() {
        return processedFiles;
    }

    /** The consumer endpoint's URI, without options (its path is a marker that {@link DropEndpoints} replaces). */
    public String endpointUri() {
        return folder.endpointUri();
    }

    /** Endpoint options that depend on where the folder is (local or SFTP). */
    public Map<String, Object> endpointOptions() {
        return folder.endpointOptions();
    }

    /** The consumer's poll strategy: failed scans show in the source's status. */
    public Object pollStrategy() {
        return pollStrategy;
    }

    /** The drop folder, for logs and status. */
    public String describeFolder() {
        return folder.describe();
    }

    DropFolder folder() {
        return folder;
    }

    /**
     * First step: refuses anything but a regular file, names the file's key (its fingerprint) and
     * where it goes when all went well.
     */
    public void intake(Exchange exchange) throws IOException, UnreadableInputException {
        exchange.setProperty(SourceHandler.PROPERTY, this);
        exchange.setProperty(MOVE_TO, folder.doneTarget());
        Path content = folder.content(exchange);
        exchange.setProperty(CONTENT, content);
        String key = FileFingerprint.of(content, name(exchange), layout.charset());
        exchange.getIn().setHeader(KEY_HEADER, key);
    }

    /**
     * The file's records as Kafka messages, for the splitter. The file's sequence number is written
     * down before the first record is read, so a redo after a crash repeats the same positions.
     */
    public FileRecords records(Exchange exchange) throws IOException, UnreadableInputException {
        Path content = exchange.getProperty(CONTENT, Path.class);
        String name = name(exchange);
        long sequence = processedFiles.sequenceOf(exchange.getIn().getHeader(KEY_HEADER, String.class));
        Reader text = RecordReaders.decode(new BufferedInputStream(Files.newInputStream(content, LinkOption.NOFOLLOW_LINKS), 64 * 1024),
                layout.charset());
        try {
            RecordReader reader = RecordReaders.open(text, layout);
            FileRecords records = new FileRecords(reader, text, new RecordMessages(context, spec.table(), reader.schema()),
                    name, sequence, modifiedMs(exchange, content), spec.settings().batchSize(), READ_AHEAD_BATCHES);
            records.start(readers);
            exchange.setProperty(RECORDS, records);
            monitor.detail("currentFile", FileNames.printable(name));
            LOG.info("Source '{}': reading {} (file sequence {}) into {}", spec.name(), FileNames.printable(name), sequence,
                    spec.table().topic());
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
        String name = FileNames.printable(name(exchange));
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
                spec.name(), FileNames.printable(name(exchange)), exchange.getProperty(MOVE_TO));
        monitor.add("duplicateFiles", 1);
    }

    /**
     * The file must not or cannot be read: it moves to the error folder with a reason file beside it.
     * If the error folder is not safe to move into, the file stays where it is (and is refused again
     * at every poll, logged each time) rather than moved anywhere else.
     *
     * @throws IllegalStateException when the error folder is not safe to move into, failing the exchange
     */
    @Override
    public void unreadable(Exchange exchange, Exception cause) {
        String name = FileNames.printable(name(exchange));
        String reason = cause == null ? "unknown" : cause.getMessage();
        monitor.add("unreadableFiles", 1);
        monitor.detail("lastError", name + ": " + reason);
        monitor.detail("currentFile", null);
        String errorTarget;
        try {
            errorTarget = folder.errorTarget();
        } catch (IOException e) {
            // failing the exchange from its error handler rolls it back: the file is not moved at all
            throw new IllegalStateException("Source '" + spec.name() + "': " + name + " cannot be read (" + reason
                    + ") and cannot be moved to the error folder; it stays in " + folder.describe(), e);
        }
        exchange.setProperty(MOVE_TO, errorTarget);
        try {
            folder.writeReason(name(exchange), "source: " + spec.name() + "\nfile: " + name + "\ntime: " + Instant.now()
                    + "\nreason: " + reason + "\n");
        } catch (IOException | RuntimeException e) {
            LOG.error("Source '{}': cannot write the reason file for {} in {}", spec.name(), name, errorTarget, e);
        }
        LOG.warn("Source '{}': {} cannot be read ({}); moved to {}", spec.name(), name, reason, errorTarget);
    }

    @Override
    public void failed(Exchange exchange, Exception cause) {
        String name = FileNames.printable(name(exchange));
        LOG.error("Source '{}': processing {} failed; the file stays in {} and will be read again from its start",
                spec.name(), name, folder.describe(), cause);
        monitor.detail("lastError", name + ": " + (cause == null ? "unknown" : cause.getMessage()));
        monitor.detail("currentFile", null);
    }

    private static long modifiedMs(Exchange exchange, Path content) throws IOException {
        GenericFile<?> file = exchange.getProperty(Exchange.FILE_EXCHANGE_FILE, GenericFile.class);
        long modified = file == null ? 0 : file.getLastModified();
        return modified > 0 ? modified : Files.getLastModifiedTime(content, LinkOption.NOFOLLOW_LINKS).toMillis();
    }

    private static String name(Exchange exchange) {
        GenericFile<?> file = exchange.getProperty(Exchange.FILE_EXCHANGE_FILE, GenericFile.class);
        if (file == null) {
            throw new IllegalStateException("exchange " + exchange.getExchangeId() + " does not come from a file endpoint");
        }
        return file.getFileNameOnly();
    }
}
