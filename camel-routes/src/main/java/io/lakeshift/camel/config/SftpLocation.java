package io.lakeshift.camel.config;

import java.util.Locale;
import java.util.Objects;

/**
 * A drop folder on an SFTP server, from {@code sftp://host[:port]/path}.
 *
 * @param host the server's host name or address
 * @param port its SSH port (default 22)
 * @param path the folder: relative to the login folder, or absolute when it starts with {@code /}
 *     ({@code sftp://host//data/in})
 */
public record SftpLocation(String host, int port, String path) {

    public static final String SCHEME = "sftp://";
    public static final int DEFAULT_PORT = 22;

    public SftpLocation {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
    }

    static boolean isSftp(String directory) {
        return directory != null && directory.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /**
     * @throws IllegalArgumentException saying what is wrong with the location
     */
    static SftpLocation parse(String location) {
        String rest = location.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException("must be sftp://host[:port]/path, got '" + location + "'");
        }
        String authority = rest.substring(0, slash);
        String path = rest.substring(slash + 1);
        if (authority.contains("@")) {
            throw new IllegalArgumentException("names no user: the source's username logs in (sftp://host[:port]/path)");
        }
        String host = authority;
        int port = DEFAULT_PORT;
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && !authority.endsWith("]")) {
            host = authority.substring(0, colon);
            try {
                port = Integer.parseInt(authority.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("has no valid port in '" + location + "'");
            }
            if (port <= 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 1 and 65535, got " + port);
            }
        }
        if (host.isEmpty() || !host.matches("[A-Za-z0-9._\\-\\[\\]:]+")) {
            throw new IllegalArgumentException("has no valid host in '" + location + "'");
        }
        return new SftpLocation(host.toLowerCase(Locale.ROOT), port, path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
    }

    /** A folder relative to this one (or absolute when it starts with {@code /}). */
    public String resolve(String folder) {
        return folder.startsWith("/") ? folder : path + "/" + folder;
    }

    /** {@code sftp://host:port/path}, for logs and status. */
    @Override
    public String toString() {
        return SCHEME + host + ":" + port + "/" + path;
    }
}
