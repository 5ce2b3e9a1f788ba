package io.lakeshift.camel.file;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.SftpATTRS;
import io.lakeshift.camel.config.FileSettings;
import io.lakeshift.camel.config.KnownHosts;
import io.lakeshift.camel.config.SftpLocation;
import io.lakeshift.camel.config.SourceSpec;
import io.lakeshift.camel.record.UnreadableInputException;
import io.lakeshift.core.config.SourceConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileOperationFailedException;
import org.apache.camel.component.file.remote.BaseSftpConfiguration;
import org.apache.camel.component.file.remote.SftpEndpoint;
import org.apache.camel.component.file.remote.SftpRemoteFile;

/**
 * A folder on an SFTP server. Each picked-up file is downloaded to a local work folder under the
 * source's state, read from there, and moved on the server to the done or error folder (relative to
 * the drop folder, or absolute on the server). The host key is checked against a pinned key or a
 * known_hosts file unless insecure mode is set explicitly; the password and key passphrase go to the
 * endpoint's configuration, never into an endpoint URI (URIs are logged).
 */
final class SftpDropFolder implements DropFolder {

    private static final int MAX_REASON_FILES = 5;

    private final SourceSpec.File spec;
    private final SftpLocation location;
    private final Path workDir;
    private final CamelContext context;
    private final String marker;
    private SftpEndpoint reasons;
    private ProducerTemplate template;

    SftpDropFolder(SourceSpec.File spec, SftpLocation location, Path workDir, CamelContext context) {
        this.spec = spec;
        this.location = location;
        this.workDir = workDir;
        this.context = context;
        this.marker = "lakeshift-drop-" + spec.name();
    }

    @Override
    public String endpointUri() {
        return base() + marker;
    }

    @Override
    public String marker() {
        return marker;
    }

    private String base() {
        return "sftp://" + location.host() + ":" + location.port() + "/";
    }

    @Override
    public Map<String, Object> endpointOptions() {
        // autoCreate off: creating the folder would connect while the route starts, holding up every
        // other source when the server is down; the drop folder must exist on the server.
        // A failed connection is thrown, so that the poll strategy shows it in the source's status.
        return Map.of("localWorkDirectory", workDir.toString(), "binary", true, "download", true, "autoCreate", false,
                "throwExceptionOnConnectFailed", true);
    }

    @Override
    public void configure(Endpoint endpoint) {
        SftpEndpoint sftp = (SftpEndpoint) endpoint;
        sftp.getConfiguration().setDirectory(location.path());
        login(sftp.getConfiguration());
    }

    private void login(BaseSftpConfiguration c) {
        SourceConfig source = spec.source();
        FileSettings s = spec.settings();
        c.setUsername(source.username());
        StringBuilder methods = new StringBuilder();
        if (s.privateKeyFile() != null) {
            c.setPrivateKeyFile(s.privateKeyFile());
            if (!s.privateKeyPassphrase().isEmpty()) {
                c.setPrivateKeyPassphrase(s.privateKeyPassphrase().reveal());
            }
            methods.append("publickey");
        }
        if (!source.password().isEmpty()) {
            c.setPassword(source.password().reveal());
            methods.append(methods.isEmpty() ? "" : ",").append("password,keyboard-interactive");
        }
        c.setPreferredAuthentications(methods.toString());
        c.setUseUserKnownHostsFile(false);
        c.setAutoCreateKnownHostsFile(false);
        if (s.insecureAcceptAnyHostKey()) {
            c.setStrictHostKeyChecking("no");
        } else {
            c.setStrictHostKeyChecking("yes");
            if (s.hostKey() != null) {
                c.setKnownHosts(KnownHosts.pinned(location.host(), location.port(), s.hostKey()));
            } else {
                c.setKnownHostsFile(KnownHosts.file(s.knownHostsFile()).toString());
            }
        }
    }

    @Override
    public Path content(Exchange exchange) throws UnreadableInputException {
        GenericFile<?> picked = exchange.getProperty(Exchange.FILE_EXCHANGE_FILE, GenericFile.class);
        if (picked != null && picked.getFile() instanceof SftpRemoteFile<?> remote
                && remote.getRemoteFile() instanceof ChannelSftp.LsEntry entry) {
            SftpATTRS attributes = entry.getAttrs();
            if (attributes.isLink()) {
                throw new UnreadableInputException("it is a symbolic link on the server; links in a drop folder are never followed");
            }
            if ((attributes.getFlags() & SftpATTRS.SSH_FILEXFER_ATTR_PERMISSIONS) != 0 && !attributes.isReg()) {
                throw new UnreadableInputException("it is not a regular file on the server; only regular files are read");
            }
        }
        String local = exchange.getIn().getHeader("CamelFileLocalWorkPath", String.class);
        if (local == null) {
            throw new IllegalStateException("the SFTP endpoint did not download " + exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY)
                    + " to its local work folder");
        }
        return Path.of(local);
    }

    @Override
    public String doneTarget() {
        return spec.settings().doneDirectory();
    }

    @Override
    public String errorTarget() {
        return spec.settings().errorDirectory();
    }

    @Override
    public synchronized void writeReason(String fileName, String text) throws IOException {
        if (reasons == null) {
            reasons = context.getEndpoint(base() + "lakeshift-reasons-" + spec.name() + "?fileExist=Fail&binary=true",
                    SftpEndpoint.class);
            reasons.getConfiguration().setDirectory(location.resolve(spec.settings().errorDirectory()));
            login(reasons.getConfiguration());
            template = context.createProducerTemplate();
        }
        RuntimeException last = null;
        // fileExist=Fail: a name already taken is never overwritten; the next free one is used, as locally
        for (int n = 1; n <= MAX_REASON_FILES; n++) {
            String reasonName = fileName + (n == 1 ? ".reason.txt" : ".reason-" + n + ".txt");
            try {
                template.sendBodyAndHeader(reasons, text.getBytes(StandardCharsets.UTF_8), Exchange.FILE_NAME, reasonName);
                return;
            } catch (RuntimeException e) {
                last = e;
                if (!(e.getCause() instanceof GenericFileOperationFailedException taken) || !String.valueOf(taken.getMessage()).contains("exist")) {
                    break;
                }
            }
        }
        throw new IOException("cannot upload the reason file of " + FileNames.printable(fileName) + " to "
                + location.resolve(spec.settings().errorDirectory()) + ": " + last.getMessage(), last);
    }

    @Override
    public String describe() {
        return location.toString();
    }
}
