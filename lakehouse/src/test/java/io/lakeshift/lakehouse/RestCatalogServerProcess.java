package io.lakeshift.lakehouse;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Iceberg's REST catalog test server ({@code RESTCatalogServer} from iceberg-open-api's test
 * fixtures) in a child JVM: it needs Jetty 12.1 and servlet 6, which cannot share a JVM (or a
 * classpath) with Spark. Its jars are copied to {@code target/rest-catalog-server} by the build;
 * its backing store is a JDBC catalog in SQLite, its warehouse a local folder.
 */
public final class RestCatalogServerProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private RestCatalogServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static RestCatalogServerProcess start(Path dir) throws IOException, InterruptedException {
        String lib = System.getProperty("lakeshift.test.restCatalogServerLib", "target/rest-catalog-server");
        if (!Files.isDirectory(Path.of(lib))) {
            throw new IllegalStateException("REST catalog server jars not found in " + lib + "; run the build (mvn verify)");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Files.createDirectories(dir);
        Path log = dir.resolve("rest-catalog-server.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", lib + "/*",
                "org.apache.iceberg.rest.RESTCatalogServer"));
        // RESTCatalogServer reads CATALOG_* variables as catalog properties: CATALOG_REST_PORT is rest.port.
        builder.environment().put("CATALOG_REST_PORT", Integer.toString(port));
        builder.environment().put("CATALOG_URI", "jdbc:sqlite:" + dir.resolve("rest-backend.db"));
        builder.environment().put("CATALOG_WAREHOUSE", dir.resolve("warehouse").toString());
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        RestCatalogServerProcess server = new RestCatalogServerProcess(builder.start(), port, log);
        server.awaitReady(Duration.ofSeconds(90));
        return server;
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("REST catalog server exited with " + process.exitValue() + ": "
                        + Files.readString(log));
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri() + "/v1/config")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        close();
        throw new IllegalStateException("REST catalog server did not answer within " + timeout + ": " + Files.readString(log));
    }

    public String uri() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
