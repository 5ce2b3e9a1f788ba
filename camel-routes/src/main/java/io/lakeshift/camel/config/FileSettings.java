package io.lakeshift.camel.config;

import io.lakeshift.core.config.Secret;
import java.util.List;
import java.util.Map;

/**
 * Settings of a {@code kind: file} source (its {@code settings} mapping). Unset keys take the
 * defaults below.
 *
 * @param directory the folder files are dropped into (required): a local path, or
 *     {@code sftp://host[:port]/path} on an SFTP server (path relative to the login folder;
 *     {@code sftp://host//abs/path} for an absolute one), logged in as the source's {@code username}
 *     with its {@code password} or {@link #privateKeyFile}
 * @param format {@code csv} (default), {@code fixed-width} or {@code jsonl}
 * @param charset the files' encoding (default UTF-8); a leading byte order mark is skipped
 * @param header CSV: the first line names the columns (default true)
 * @param delimiter CSV: field separator, one character or {@code tab} (default {@code ,})
 * @param quote CSV: quote character, empty for none (default {@code "})
 * @param nullMarker CSV: an unquoted field equal to this is null (default: the empty string)
 * @param columns declared columns in file order; required for fixed-width, JSON Lines and headerless CSV
 * @param key key columns (default: the whole row)
 * @param operationColumn column holding the operation code; without it every record is an insert
 * @param operationCodes code in the file to c, u or d (default: c/u/d and I/U/D)
 * @param maxRecordChars longest accepted record in characters (default 1048576)
 * @param include regular expression of file names to pick up (default: every file)
 * @param exclude regular expression of file names to leave alone (default: *.tmp, *.part, *.partial, *.filepart)
 * @param pickup when a file is complete: {@code stable} (size and modification time unchanged for
 *     {@code stableForMs}, default) or {@code done-marker} (a file named {@code <file><doneMarkerSuffix>} exists)
 * @param stableForMs stable pickup: how long a file must stay unchanged (default 2000)
 * @param doneMarkerSuffix done-marker pickup: suffix of the marker file (default {@code .done})
 * @param pollIntervalMs how often the directory is scanned (default 1000)
 * @param doneDirectory where processed files go, relative to the directory or absolute (default {@code done})
 * @param errorDirectory where unreadable files and their {@code .reason.txt} go (default {@code error})
 * @param batchSize records per Kafka batch (default 1000)
 * @param privateKeyFile SFTP: a private key file to log in with (instead of, or besides, the password)
 * @param privateKeyPassphrase SFTP: the private key's passphrase (a secret: literal, env:NAME or file:PATH)
 * @param hostKey SFTP: the server's public host key, pinned, as a known_hosts or ssh-keyscan line
 *     ({@code ssh-ed25519 AAAA...}, host names in front are allowed)
 * @param knownHostsFile SFTP: a known_hosts file holding the server's key (default {@code ~/.ssh/known_hosts});
 *     the host key is always checked unless {@link #insecureAcceptAnyHostKey} is set
 * @param insecureAcceptAnyHostKey SFTP: accept any host key (default false; only for tests and labs:
 *     anyone in the network path can then read the files and the password)
 */
public record FileSettings(
        String directory,
        String format,
        String charset,
        Boolean header,
        String delimiter,
        String quote,
        String nullMarker,
        List<ColumnSettings> columns,
        List<String> key,
        String operationColumn,
        Map<String, String> operationCodes,
        Integer maxRecordChars,
        String include,
        String exclude,
        String pickup,
        Long stableForMs,
        String doneMarkerSuffix,
        Long pollIntervalMs,
        String doneDirectory,
        String errorDirectory,
        Integer batchSize,
        String privateKeyFile,
        Secret privateKeyPassphrase,
        String hostKey,
        String knownHostsFile,
        Boolean insecureAcceptAnyHostKey) {

    public static final String PICKUP_STABLE = "stable";
    public static final String PICKUP_DONE_MARKER = "done-marker";
    /** DOTALL: a name may hold line breaks, and such a name ending in .tmp is left alone too. */
    public static final String DEFAULT_EXCLUDE = "(?s).*\\.(tmp|part|partial|filepart)$";

    public FileSettings {
        format = format == null ? "csv" : format;
        pickup = pickup == null ? PICKUP_STABLE : pickup;
        stableForMs = stableForMs == null ? 2000L : stableForMs;
        doneMarkerSuffix = doneMarkerSuffix == null ? ".done" : doneMarkerSuffix;
        pollIntervalMs = pollIntervalMs == null ? 1000L : pollIntervalMs;
        doneDirectory = doneDirectory == null ? "done" : doneDirectory;
        errorDirectory = errorDirectory == null ? "error" : errorDirectory;
        batchSize = batchSize == null ? 1000 : batchSize;
        exclude = exclude == null ? DEFAULT_EXCLUDE : exclude;
        privateKeyPassphrase = privateKeyPassphrase == null ? Secret.empty() : privateKeyPassphrase;
        insecureAcceptAnyHostKey = insecureAcceptAnyHostKey != null && insecureAcceptAnyHostKey;
    }

    /** The SFTP location of {@link #directory()}, or null for a local folder. */
    public SftpLocation sftp() {
        return SftpLocation.isSftp(directory) ? SftpLocation.parse(directory) : null;
    }

    RecordSettings records() {
        return new RecordSettings(format, charset, header == null || header, delimiter, quote, nullMarker, columns, key,
                operationColumn, operationCodes, maxRecordChars);
    }
}
