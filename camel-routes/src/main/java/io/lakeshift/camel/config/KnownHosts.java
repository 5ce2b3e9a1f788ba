package io.lakeshift.camel.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Host keys in the OpenSSH known_hosts form that SFTP host key checking reads. */
public final class KnownHosts {

    /** {@code [hosts ]keytype base64[ comment]}: ssh-keyscan output or a known_hosts line. */
    private static final Pattern KEY = Pattern.compile("(?:\\S+\\s+)?((?:ssh|ecdsa|sk)-[A-Za-z0-9@.\\-]+)\\s+([A-Za-z0-9+/]+={0,2})(?:\\s.*)?");

    private KnownHosts() {
    }

    static boolean isPublicKeyLine(String line) {
        return KEY.matcher(line.strip()).matches();
    }

    /** The known_hosts file to use: the one named, or the service user's {@code ~/.ssh/known_hosts}. */
    public static Path file(String knownHostsFile) {
        return knownHostsFile != null ? Path.of(knownHostsFile) : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    }

    /**
     * A known_hosts entry pinning {@code publicKeyLine} for the server at {@code host:port}, as an
     * SSH client looks it up ({@code [host]:port} for a port other than 22).
     */
    public static byte[] pinned(String host, int port, String publicKeyLine) {
        java.util.regex.Matcher m = KEY.matcher(publicKeyLine.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a public key line");
        }
        String name = port == 22 ? host : "[" + host + "]:" + port;
        return (name + " " + m.group(1) + " " + m.group(2) + "\n").getBytes(StandardCharsets.US_ASCII);
    }
}
