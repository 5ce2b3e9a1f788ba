package io.lakeshift.camel.file;

import io.lakeshift.camel.record.UnreadableInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.FileEndpoint;
import org.apache.camel.component.file.GenericFile;

/**
 * A folder on the local disk. Whoever can write to it must not be able to make the service read, or
 * write to, anything else it can reach: a dropped symbolic link, FIFO or device is refused, not
 * followed (and every open of a dropped file refuses links); the done and error folders must be real
 * folders, not links planted in their place; reason files are created new, never written through
 * an existing name.
 */
final class LocalDropFolder implements DropFolder {

    private static final int MAX_REASON_FILES = 100;

    private final String marker;
    private final Path inbox;
    private final Path doneDir;
    private final Path errorDir;

    LocalDropFolder(String sourceName, Path inbox, String doneDirectory, String errorDirectory) {
        this.marker = "lakeshift-drop-" + sourceName;
        this.inbox = inbox.toAbsolutePath().normalize();
        this.doneDir = this.inbox.resolve(doneDirectory).normalize();
        this.errorDir = this.inbox.resolve(errorDirectory).normalize();
    }

    @Override
    public String endpointUri() {
        return "file:" + marker;
    }

    @Override
    public String marker() {
        return marker;
    }

    @Override
    public Map<String, Object> endpointOptions() {
        return Map.of("synchronous", true);
    }

    @Override
    public void configure(Endpoint endpoint) {
        FileEndpoint file = (FileEndpoint) endpoint;
        file.setFile(inbox.toFile());
        file.getConfiguration().setDirectory(inbox.toString());
    }

    @Override
    public Path content(Exchange exchange) throws IOException, UnreadableInputException {
        GenericFile<?> picked = exchange.getProperty(Exchange.FILE_EXCHANGE_FILE, GenericFile.class);
        Path file = Path.of(picked.getAbsoluteFilePath());
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attributes.isSymbolicLink()) {
            throw new UnreadableInputException("it is a symbolic link (to " + FileNames.printable(String.valueOf(Files.readSymbolicLink(file)))
                    + "); links in a drop folder are never followed");
        }
        if (!attributes.isRegularFile()) {
            throw new UnreadableInputException("it is not a regular file (" + (attributes.isDirectory() ? "a directory" : "a FIFO, socket or device")
                    + "); only regular files are read");
        }
        return file;
    }

    @Override
    public String doneTarget() throws IOException {
        return realDirectory(doneDir).toString();
    }

    @Override
    public String errorTarget() throws IOException {
        return realDirectory(errorDir).toString();
    }

    @Override
    public void writeReason(String fileName, String text) throws IOException {
        realDirectory(errorDir);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int n = 1; ; n++) {
            Path reason = errorDir.resolve(fileName + (n == 1 ? ".reason.txt" : ".reason-" + n + ".txt"));
            try {
                // CREATE_NEW fails on any existing name, a planted symbolic link included, instead of writing through it
                Files.write(reason, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return;
            } catch (FileAlreadyExistsException e) {
                if (n >= MAX_REASON_FILES) {
                    throw e;
                }
            }
        }
    }

    /** Creates the folder if missing; refuses a symbolic link or other non-folder in its place. */
    private static Path realDirectory(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir);
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a folder (a symbolic link or file in its place); refusing to move files into it");
        }
        return dir;
    }


    @Override
    public String describe() {
        return inbox.toString();
    }
}
