package io.lakeshift.camel.file;

import io.lakeshift.camel.kafka.RecordMessages;
import io.lakeshift.camel.record.RecordReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Message;
import org.apache.camel.RuntimeCamelException;

/**
 * The records of one file as batches of Kafka messages, for the file route's splitter.
 *
 * <p>A reader thread parses and encodes batches ahead into a small bounded queue while the route's
 * thread hands earlier ones to Kafka and waits for their acknowledgement: reading and sending use a
 * core each, batches keep their file order, and memory stays flat whatever the file's size (at most
 * {@code readAhead} batches wait in the queue).
 */
final class FileRecords implements Iterator<List<Message>>, Closeable {

    private static final Object END = new Object();

    private final RecordReader reader;
    private final Reader text;
    private final RecordMessages messages;
    private final String fileName;
    private final long fileSequence;
    private final long modifiedMs;
    private final int batchSize;
    private final BlockingQueue<Object> queue;
    private volatile boolean closed;
    private Future<?> task;
    private long read;
    private List<Message> pending;
    private boolean finished;

    FileRecords(RecordReader reader, Reader text, RecordMessages messages, String fileName, long fileSequence, long modifiedMs,
            int batchSize, int readAhead) {
        this.reader = reader;
        this.text = text;
        this.messages = messages;
        this.fileName = fileName;
        this.fileSequence = fileSequence;
        this.modifiedMs = modifiedMs;
        this.batchSize = batchSize;
        this.queue = new ArrayBlockingQueue<>(readAhead);
    }

    /** Starts reading ahead on one of {@code readers}' threads. */
    void start(ExecutorService readers) {
        task = readers.submit(this::readAll);
    }

    @Override
    public boolean hasNext() {
        if (pending == null && !finished) {
            Object next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeCamelException("interrupted while reading " + fileName, e);
            }
            if (next == END) {
                finished = true;
            } else if (next instanceof RuntimeException e) {
                throw e;
            } else if (next instanceof Error e) {
                throw e;
            } else {
                @SuppressWarnings("unchecked")
                List<Message> batch = (List<Message>) next;
                pending = batch;
            }
        }
        return pending != null;
    }

    @Override
    public List<Message> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        List<Message> batch = pending;
        pending = null;
        return batch;
    }

    private void readAll() {
        try {
            while (!closed) {
                List<Message> batch = new ArrayList<>(batchSize);
                while (batch.size() < batchSize && reader.next()) {
                    read++;
                    long line = reader.line();
                    batch.add(messages.next(reader, fileName + ":" + line, fileSequence, line, modifiedMs));
                }
                if (batch.isEmpty()) {
                    put(END);
                    return;
                }
                put(batch);
            }
        } catch (IOException e) {
            put(new UncheckedIOException("cannot read " + fileName + " after line " + reader.line(), e));
        } catch (RuntimeException | Error e) {
            put(e);
        }
    }

    private void put(Object item) {
        try {
            while (!closed) {
                if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records read so far; complete once the splitter saw the end. */
    long read() {
        return read;
    }

    long events() {
        return messages.events();
    }

    long deadLetters() {
        return messages.deadLetters();
    }

    boolean finished() {
        return finished;
    }

    String lastPosition() {
        return messages.lastPosition();
    }

    /** Stops reading ahead (the route finished or gave up on the file) and closes the file. */
    @Override
    public void close() throws IOException {
        closed = true;
        queue.clear();
        if (task != null) {
            try {
                task.get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                task.cancel(true);
            }
        }
        try {
            reader.close();
        } finally {
            text.close();
        }
    }
}
