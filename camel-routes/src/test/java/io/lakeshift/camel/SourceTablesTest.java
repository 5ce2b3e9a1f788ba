package io.lakeshift.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshift.core.config.ConfigException;
import io.lakeshift.core.config.ConfigLoader;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.envelope.Column;
import io.lakeshift.core.envelope.LogicalType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceTablesTest {

    @TempDir
    Path dir;

    private LakeshiftConfig load(String sources) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, "sources:\n" + sources);
        return ConfigLoader.load(file, dir, List.of());
    }

    private static SourceConfig source(LakeshiftConfig config, String name) {
        return config.sources().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void fileSourceDeclaresItsTypedColumnsWithKeyColumnsRequiredAndNoOperationColumn() throws Exception {
        LakeshiftConfig config = load("""
                  - name: drops
                    kind: file
                    port: 0
                    tables: [retail.orders]
                    settings:
                      directory: /in
                      key: [order_id]
                      operationColumn: op
                      columns:
                        - {name: order_id, type: int64}
                        - {name: amount, type: "decimal(12,2)", required: true}
                        - {name: note, type: string}
                        - {name: placed, type: date, format: dd.MM.yyyy}
                """);
        List<DeclaredTable> tables = SourceTables.declared(config, source(config, "drops"));
        assertThat(tables).singleElement().satisfies(t -> {
            assertThat(t.schemaTable()).isEqualTo("retail.orders");
            assertThat(t.columnsDeclared()).isTrue();
            assertThat(t.columns()).as("the operation column only names the operation; it is no row column")
                    .containsExactly(new Column("order_id", LogicalType.INT64, false),
                            new Column("amount", LogicalType.decimal(12, 2), false),
                            new Column("note", LogicalType.STRING, true),
                            new Column("placed", LogicalType.DATE, true));
            assertThat(t.key()).containsExactly("order_id");
        });
    }

    @Test
    void withoutADeclaredKeyTheWholeRowIsTheKeyAndColumnsKeepTheirDeclaredNullability() throws Exception {
        LakeshiftConfig config = load("""
                  - name: fixed
                    kind: file
                    port: 0
                    tables: [legacy.accounts]
                    settings:
                      directory: /in
                      format: fixed-width
                      operationColumn: op
                      columns:
                        - {name: id, type: int32, offset: 0, length: 4, required: true}
                        - {name: op, type: string, offset: 4, length: 1}
                        - {name: flag, type: boolean, offset: 5, length: 5}
                """);
        DeclaredTable table = SourceTables.declared(config, source(config, "fixed")).get(0);
        assertThat(table.key()).as("empty: the whole row").isEmpty();
        assertThat(table.columns()).as("as the route writes them: a whole-row key makes no column required")
                .containsExactly(new Column("id", LogicalType.INT32, false), new Column("flag", LogicalType.BOOLEAN, true));
    }

    @Test
    void csvWithOnlyAHeaderHasNoDeclaredColumns() throws Exception {
        LakeshiftConfig config = load("""
                  - name: headers
                    kind: file
                    port: 0
                    tables: [crm.leads]
                    settings: {directory: /in, key: [id]}
                """);
        DeclaredTable table = SourceTables.declared(config, source(config, "headers")).get(0);
        assertThat(table.columnsDeclared()).isFalse();
        assertThat(table.columns()).isNull();
        assertThat(table.key()).containsExactly("id");
    }

    @Test
    void csvHeaderMayNameTheOperationColumnWithoutDeclaringIt() throws Exception {
        LakeshiftConfig config = load("""
                  - name: ops
                    kind: file
                    port: 0
                    tables: [crm.leads]
                    settings:
                      directory: /in
                      operationColumn: action
                      key: [id]
                      columns: [{name: id, type: uuid}, {name: score, type: float64}]
                """);
        assertThat(SourceTables.declared(config, source(config, "ops")).get(0).columns())
                .containsExactly(new Column("id", LogicalType.UUID, false), new Column("score", LogicalType.FLOAT64, true));
    }

    @Test
    void jmsSourceDeclaresItsColumns() throws Exception {
        LakeshiftConfig config = load("""
                  - name: queue
                    kind: jms
                    port: 0
                    tables: [pay.transfers]
                    settings:
                      brokerUrl: tcp://mq:61616
                      queue: q
                      key: [id]
                      columns: [{name: id, type: int64}, {name: at, type: timestamptz}, {name: body, type: json}]
                """);
        DeclaredTable table = SourceTables.declared(config, source(config, "queue")).get(0);
        assertThat(table.schemaTable()).isEqualTo("pay.transfers");
        assertThat(table.columns()).containsExactly(new Column("id", LogicalType.INT64, false),
                new Column("at", LogicalType.TIMESTAMPTZ, true), new Column("body", LogicalType.JSON, true));
        assertThat(table.key()).containsExactly("id");
    }

    @Test
    void jdbcSourceLeavesItsColumnsToTheDatabaseAndPolledReadsThem() throws Exception {
        String url = "jdbc:h2:mem:source_tables;DB_CLOSE_DELAY=-1";
        try (Connection c = DriverManager.getConnection(url, "sa", "sa"); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA shop");
            st.execute("CREATE TABLE shop.items (id BIGINT PRIMARY KEY, name VARCHAR(40), price DECIMAL(10,2) NOT NULL,"
                    + " updated_at TIMESTAMP NOT NULL)");
            LakeshiftConfig config = load("""
                      - name: poll
                        kind: jdbc
                        port: 0
                        tables: [shop.items]
                        username: sa
                        password: sa
                        settings: {url: "%s", watermarkColumn: updated_at}
                    """.formatted(url));
            DeclaredTable declared = SourceTables.declared(config, source(config, "poll")).get(0);
            assertThat(declared.schemaTable()).isEqualTo("shop.items");
            assertThat(declared.columnsDeclared()).isFalse();
            assertThat(declared.key()).as("empty: the table's primary key").isEmpty();

            DeclaredTable polled = SourceTables.polled(config, source(config, "poll"));
            assertThat(polled.columns()).containsExactly(new Column("ID", LogicalType.INT64, false),
                    new Column("NAME", LogicalType.STRING, true), new Column("PRICE", LogicalType.decimal(10, 2), false),
                    new Column("UPDATED_AT", LogicalType.TIMESTAMP, false));
            assertThat(polled.key()).containsExactly("ID");
        }
    }

    @Test
    void invalidSettingsNameTheirKeyAndCdcSourcesAreRefused() throws Exception {
        LakeshiftConfig config = load("""
                  - {name: pg, kind: postgres, host: h, port: 5432, database: d, username: u, tables: [a.b], snapshotMode: initial}
                  - name: broken
                    kind: file
                    port: 0
                    tables: [retail.orders]
                    settings: {directory: /in, format: fixed-width}
                """);
        assertThatThrownBy(() -> SourceTables.declared(config, source(config, "broken")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sources[1].settings.columns");
        assertThatThrownBy(() -> SourceTables.declared(config, source(config, "pg")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("captured by CDC");
    }
}
