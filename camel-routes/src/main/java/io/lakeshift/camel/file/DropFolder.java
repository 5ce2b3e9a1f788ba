package io.lakeshift.camel.file;

import io.lakeshift.camel.record.UnreadableInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;

/**
 * Where a file source's files are dropped: a local folder or a folder on an SFTP server. The route
 * is the same for both; this says how to reach the folder and its done and error folders, where the
 * content of a picked-up file can be read locally, and how to leave a reason beside a refused file.
 */
interface DropFolder {

    /**
     * The consumer endpoint's URI without options. Its path is a marker, not the folder: Camel reads
     * an endpoint path through URI decoding and cuts it at {@code ?} and {@code #}, so the folder
     * (whatever characters its name holds) is set on the endpoint itself by {@link #configure}.
     */
    String endpointUri();

    /** The marker path of {@link #endpointUri()}, as the created endpoint reports its directory. */
    String marker();

    /** Options the endpoint needs beyond the template's common ones. */
    Map<String, Object> endpointOptions();

    /** Points the consumer endpoint created from {@link #endpointUri()} at the folder, with any credentials. */
    void configure(Endpoint endpoint);

    /**
     * The picked-up file's content on the local disk, checked: a local file that is a symbolic link
     * or not a regular file is refused, never followed.
     *
     * @throws UnreadableInputException when the file must not be read
     */
    Path content(Exchange exchange) throws IOException, UnreadableInputException;

    /**
     * The folder a finished file moves to, as the route's move option takes it.
     *
     * @throws IOException when the folder is not safe to move into (a symbolic link planted in its place)
     */
    String doneTarget() throws IOException;

    /** As {@link #doneTarget()}, for refused files. */
    String errorTarget() throws IOException;

    /** Writes {@code text} as a new {@code <name>.reason.txt} beside the refused file in the error folder. */
    void writeReason(String fileName, String text) throws IOException;

    /** The folder, for logs and status (no credentials). */
    String describe();
}
