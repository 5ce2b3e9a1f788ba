package io.lakeshift.camel.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An in-process SFTP server (Apache MINA SSHD) with one password user whose home is {@link #root()}; for
 * the SFTP tests of camel-routes and the end-to-end tests (camel-routes' test-jar).
 */
public final class TestSftpServer implements AutoCloseable {

    private final SshServer server;
    private final Path root;
    private final String hostKey;

    public TestSftpServer(Path dir, String user, String password) throws Exception {
        this.root = Files.createDirectories(dir.resolve("sftp-root"));
        SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider(dir.resolve("host-key.ser"));
        keys.setAlgorithm("EC");
        keys.setKeySize(256);
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(keys);
        server.setPasswordAuthenticator((u, p, session) -> user.equals(u) && password.equals(p));
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.setFileSystemFactory(new VirtualFileSystemFactory(root));
        server.start();
        KeyPair key = keys.loadKeys(null).iterator().next();
        this.hostKey = PublicKeyEntry.toString(key.getPublic());
    }

    public int port() {
        return server.getPort();
    }

    /** The user's home folder on the local disk. */
    public Path root() {
        return root;
    }

    /** The server's public host key as ssh-keyscan prints it. */
    public String hostKey() {
        return hostKey;
    }

    @Override
    public void close() throws Exception {
        server.stop(true);
    }
}
