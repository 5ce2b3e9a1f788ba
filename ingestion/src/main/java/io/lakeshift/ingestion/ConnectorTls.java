package io.lakeshift.ingestion;

import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.config.SourceTls;
import io.lakeshift.core.jdbc.PemTrustStore;
import io.lakeshift.core.jdbc.SourceConnections;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A source's {@code tls} in the words of its Debezium connector. PostgreSQL's takes the PEM CA file
 * as it is; the binlog connectors (MySQL, MariaDB) take a truststore, written here from the PEM
 * into the source's state folder, owner-only, with a password generated for it (Debezium masks
 * settings ending in {@code password} when it logs its configuration).
 */
final class ConnectorTls {

    private ConnectorTls() {
    }

    static void configure(Properties p, SourceConfig source, Path stateDir) {
        SourceTls tls = source.tls();
        if (tls == null) {
            return; // the connector's default
        }
        if ("postgres".equals(source.kind())) {
            p.setProperty("database.sslmode", tls.mode());
            if (tls.caFile() != null && !tls.disabled()) {
                p.setProperty("database.sslrootcert", tls.caFile());
            }
            return;
        }
        p.setProperty("database.ssl.mode", SourceConnections.mysqlMode(tls.mode()));
        if (tls.verifies()) {
            PemTrustStore store = trustStore(source, Path.of(tls.caFile()), stateDir);
            p.setProperty("database.ssl.truststore", store.path().toString());
            p.setProperty("database.ssl.truststore.password", store.password());
        }
    }

    /** Where a binlog source's truststore lives: beside its offsets, rewritten at every start. */
    static Path trustStoreFile(Path stateDir, SourceConfig source) {
        return stateDir.resolve(source.name() + ".truststore.p12");
    }

    private static PemTrustStore trustStore(SourceConfig source, Path caFile, Path stateDir) {
        try {
            return PemTrustStore.write(caFile, trustStoreFile(stateDir, source));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("source '" + source.name() + "': cannot build a truststore from tls.caFile "
                    + caFile + ": " + e.getMessage(), e);
        }
    }
}
