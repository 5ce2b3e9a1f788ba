package io.lakeshift.camel.file;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lakeshift.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The durable memory of a file source, in one append-only log ({@code files.log}, fsynced per entry):
 * which file keys (name, size, checksum) were processed, and which sequence number each file got.
 * Each entry is one JSON object per line ({@code {"seq":3,"key":"..."}}, {@code {"done":"..."}}), so
 * a key holds any file name (tabs, line breaks, any Unicode); logs written before in the tab-separated
 * form ({@code S<tab>seq<tab>key}, {@code D<tab>key}) are still read.
 *
 * <p>As Camel's {@link IdempotentRepository}, a key is {@link #add added} in memory while its file is
 * in flight and written down only when {@link #confirm confirmed}, after Kafka acknowledged every
 * event of the file: a crash in between leaves the file to be redone. The sequence number is written
 * down when first handed out, so a redone file gets the same one and its events the same
 * {@code source.seq}: the sink drops them as replays. Sequence numbers only grow, across restarts.
 */
public final class ProcessedFiles extends ServiceSupport implements IdempotentRepository {

    static final String LOG_FILE = "files.log";
    private static final ObjectMapper JSON = Json.mapper();
    private static final String SEQ_FIELD = "seq";
    private static final String KEY_FIELD = "key";
    private static final String DONE_FIELD = "done";
    /** Entry types of the tab-separated form written before. */
    private static final String SEQUENCE = "S";
    private static final String DONE = "D";

    private final Path log;
    private final Set<String> done = new HashSet<>();
    private final Set<String> inFlight = new HashSet<>();
    private final Map<String, Long> sequences = new HashMap<>();
    private long lastSequence;
    private FileChannel channel;

    public ProcessedFiles(Path stateDir) {
        this.log = stateDir.resolve(LOG_FILE);
    }

    @Override
    protected synchronized void doStart() throws IOException {
        Files.createDirectories(log.getParent());
        boolean tornTail = false;
        if (Files.exists(log)) {
            // split on \n only: a key of the old form may hold any other line break
            String content = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            tornTail = !content.isEmpty() && !content.endsWith("\n");
            for (String line : content.split("\n", -1)) {
                if (line.startsWith("{")) {
                    readJson(line);
                } else {
                    readTabSeparated(line);
                }
                // anything else is a line torn by a crash mid-write: its entry was never relied upon
            }
        }
        channel = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        if (tornTail) {
            // ends the line a crash tore, so that the next entry starts a line of its own
            write("\n");
        }
    }

    private void readJson(String line) {
        JsonNode entry;
        try {
            entry = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return;
        }
        if (entry.path(SEQ_FIELD).isIntegralNumber() && entry.path(KEY_FIELD).isTextual()) {
            sequence(entry.get(KEY_FIELD).asText(), entry.get(SEQ_FIELD).asLong());
        } else if (entry.path(DONE_FIELD).isTextual()) {
            done.add(entry.get(DONE_FIELD).asText());
        }
    }

    private void readTabSeparated(String line) {
        String[] parts = line.split("\t", 3);
        if (parts.length == 3 && SEQUENCE.equals(parts[0]) && parts[1].matches("[0-9]{1,18}")) {
            sequence(parts[2], Long.parseLong(parts[1]));
        } else if (parts.length == 2 && DONE.equals(parts[0])) {
            done.add(parts[1]);
        }
    }

    private void sequence(String key, long seq) {
        sequences.put(key, seq);
        lastSequence = Math.max(lastSequence, seq);
    }

    @Override
    protected synchronized void doStop() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    /** The sequence number of a file key: the one it got before, or the next one, written down first. */
    public synchronized long sequenceOf(String key) {
        Long seq = sequences.get(key);
        if (seq != null) {
            return seq;
        }
        long next = lastSequence + 1;
        append(JSON.createObjectNode().put(SEQ_FIELD, next).put(KEY_FIELD, key));
        sequences.put(key, next);
        lastSequence = next;
        return next;
    }

    @Override
    public synchronized boolean add(String key) {
        if (done.contains(key) || inFlight.contains(key)) {
            return false;
        }
        inFlight.add(key);
        return true;
    }

    @Override
    public synchronized boolean contains(String key) {
        return done.contains(key) || inFlight.contains(key);
    }

    @Override
    public synchronized boolean remove(String key) {
        return inFlight.remove(key);
    }

    @Override
    public synchronized boolean confirm(String key) {
        inFlight.remove(key);
        if (done.add(key)) {
            append(JSON.createObjectNode().put(DONE_FIELD, key));
        }
        return true;
    }

    @Override
    public synchronized void clear() {
        throw new UnsupportedOperationException("the processed-files log of a source is only ever appended to");
    }

    private void append(ObjectNode entry) {
        if (channel == null) {
            throw new IllegalStateException("processed-files log " + log + " is not open");
        }
        try {
            // Jackson escapes every control character, so an entry is always exactly one line
            write(JSON.writeValueAsString(entry) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + log, e);
        }
    }

    private void write(String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        channel.force(false);
    }
}
