package io.lakeshift.orchestration.launcher;

import io.lakeshift.core.io.AtomicFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * A job's pid and its process's start time. The start time guards against pid reuse: a live
 * process with the same pid but another start time is not the job.
 */
record PidFile(long pid, Instant processStart) {

    static Optional<PidFile> read(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read pid file " + file, e);
        }
        try {
            long pid = Long.parseLong(p.getProperty("pid", "").strip());
            String start = p.getProperty("start", "").strip();
            return Optional.of(new PidFile(pid, start.isEmpty() ? null : Instant.parse(start)));
        } catch (RuntimeException e) {
            // a torn or hand-edited file: treat the job as unknown rather than fail every status call
            return Optional.empty();
        }
    }

    /** Writes through a temporary file and a rename, so a reader never sees half a pid file. */
    void write(Path file) {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(pid));
        if (processStart != null) {
            p.setProperty("start", processStart.toString());
        }
        try {
            StringWriter text = new StringWriter();
            p.store(text, null);
            // Properties.store writes a date comment: drop it, the file says what it says and nothing more
            String body = text.toString().lines().filter(line -> !line.startsWith("#")).reduce("", (a, b) -> a + b + "\n");
            AtomicFiles.write(file, body.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write pid file " + file, e);
        }
    }

    /** The live process this file names, if it is still the same process. */
    Optional<ProcessHandle> process() {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(handle -> processStart == null || handle.info().startInstant()
                        .map(actual -> Math.abs(actual.toEpochMilli() - processStart.toEpochMilli()) < 1000)
                        .orElse(true));
    }
}
