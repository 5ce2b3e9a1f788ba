package io.lakeshift.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.lakeshift.core.config.CatalogConfig;
import io.lakeshift.core.config.Secret;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JDBC catalog kept in a real PostgreSQL, opened with a password while every logger runs at
 * DEBUG: the password appears in no log line, and not in the error of a catalog that cannot connect.
 */
class CredentialsNotLoggedIT {

    private static final String PASSWORD = "catalog-pw-7d2e91";

    @TempDir
    Path dir;

    @Test
    void theCatalogPasswordIsNeitherLoggedNorInErrors() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE ROLE iceberg LOGIN PASSWORD '" + PASSWORD + "'");
                st.execute("CREATE DATABASE iceberg OWNER iceberg");
            }
            CatalogConfig config = new CatalogConfig("lakeshift", "jdbc", "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/iceberg",
                    dir.resolve("warehouse").toString(), "iceberg", Secret.of(PASSWORD),
                    Map.of("hadoop.fs.s3a.secret.key", "s3-secret-55aa"));
            int closedPort;
            try (ServerSocket socket = new ServerSocket(0)) {
                closedPort = socket.getLocalPort();
            }
            CatalogConfig unreachable = new CatalogConfig("lakeshift", "jdbc", "jdbc:postgresql://127.0.0.1:" + closedPort + "/iceberg",
                    dir.resolve("warehouse").toString(), "iceberg", Secret.of(PASSWORD), Map.of());

            String failure;
            try (LogCapture logs = LogCapture.start()) {
                Catalog catalog = IcebergCatalogs.open(config);
                try {
                    TestTables.append(TestTables.create(catalog, "retail.orders"), 1_000, 10, null, null);
                } finally {
                    IcebergCatalogs.close(catalog);
                }
                Throwable error = catchThrowable(() -> TestTables.create(IcebergCatalogs.open(unreachable), "retail.orders"));
                assertThat(error).isNotNull();
                StringWriter trace = new StringWriter();
                error.printStackTrace(new PrintWriter(trace));
                failure = trace.toString();

                assertThat(logs.lines()).isNotEmpty();
                assertThat(logs.all()).doesNotContain(PASSWORD).doesNotContain("s3-secret-55aa")
                        .contains("Opening Iceberg jdbc catalog 'lakeshift' at jdbc:postgresql://127.0.0.1:");
            }
            assertThat(failure).doesNotContain(PASSWORD);
            assertThat(config.toString()).doesNotContain(PASSWORD);
        }
    }
}
