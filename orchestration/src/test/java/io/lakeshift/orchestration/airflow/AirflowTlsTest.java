package io.lakeshift.orchestration.airflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.lakeshift.core.config.AirflowConfig;
import io.lakeshift.core.config.ConfigException;
import io.lakeshift.core.config.Secret;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An Airflow behind TLS with a certificate of a private CA, and credentials refused over plain http. */
class AirflowTlsTest {

    private static final char[] STORE_PASSWORD = "changeit".toCharArray();
    private static final String TOKEN = "tls-test-token";

    @TempDir
    static Path dir;
    private static HttpsServer server;
    private static Path caFile;
    private static final AtomicReference<String> AUTHORIZATION = new AtomicReference<>();

    @BeforeAll
    static void startHttpsAirflow() throws Exception {
        Path keystore = dir.resolve("airflow.p12");
        caFile = dir.resolve("ca.pem");
        keytool("-genkeypair", "-alias", "airflow", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "airflow", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", caFile.toString());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, STORE_PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, STORE_PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            AUTHORIZATION.set(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{\"detail\": \"DAG not found\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aPrivateCaBundleLetsTheClientTrustAirflow() {
        AirflowClient client = AirflowClients.create(config().withTls(caFile.toString(), false), AirflowClients.DEFAULT_BACKOFF, 10,
                java.time.Clock.systemUTC());

        assertThatThrownBy(() -> client.getDag("legacy_orders"))
                .as("the TLS handshake succeeded: Airflow itself answered")
                .isInstanceOf(DagNotFoundException.class);
        assertThat(AUTHORIZATION.get()).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void withoutTheBundleAnUnknownCaIsRefused() {
        AirflowClient client = AirflowClients.create(new AirflowConfig("v2", url(), "", Secret.empty(), Secret.of(TOKEN), 5_000, 0),
                AirflowClients.DEFAULT_BACKOFF, 10, java.time.Clock.systemUTC());

        assertThatThrownBy(() -> client.getDag("legacy_orders")).isInstanceOf(AirflowUnreachableException.class);
    }

    @Test
    void credentialsOverPlainHttpAreRefusedNamingTheKey() {
        AirflowConfig plain = new AirflowConfig("v2", "http://127.0.0.1:1", "", Secret.empty(), Secret.of(TOKEN), 5_000, 0);

        assertThatThrownBy(() -> AirflowClients.create(plain))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("airflow.allowInsecureHttp")
                .hasMessageNotContaining(TOKEN);
        assertThat(AirflowClients.create(plain.withTls(null, true))).isNotNull();
    }

    @Test
    void aCaFileThatIsNoPemBundleIsNamed() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate");

        assertThatThrownBy(() -> AirflowClients.create(config().withTls(junk.toString(), false)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("airflow.caFile");
    }

    private static AirflowConfig config() {
        return new AirflowConfig("v2", url(), "", Secret.empty(), Secret.of(TOKEN), 5_000, 0);
    }

    private static String url() {
        return "https://localhost:" + server.getAddress().getPort();
    }

    private static void keytool(String... args) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("keytool %s: %s", args[0], output).isZero();
    }
}
