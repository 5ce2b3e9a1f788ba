package io.lakeshift.runtime.stack;

import io.lakeshift.camel.DeclaredTable;
import io.lakeshift.camel.SourceTables;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.PipelineConfig;
import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.jdbc.SourceConnections;
import io.lakeshift.lakehouse.IcebergCatalogs;
import io.lakeshift.lakehouse.SourceTable;
import io.lakeshift.lakehouse.TableBootstrap;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates every missing lake table of a set of pipelines from its source's schema, so that whichever
 * command needs a table first ({@code up}, {@code pipelines run}, {@code batch run full-reload},
 * {@code migrate apply}) finds it: JDBC metadata for CDC and JDBC-polling sources, the declared columns
 * for file and JMS sources. Existing tables are left as they are (the apply job evolves them).
 */
public final class LakeTableProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(LakeTableProvisioner.class);

    private LakeTableProvisioner() {
    }

    /**
     * @return the targets it created, {@code namespace.table}
     * @throws IllegalStateException naming the pipeline and the source when a schema cannot be read
     */
    public static List<String> ensure(LakeshiftConfig config, Collection<PipelineConfig> pipelines) {
        List<String> created = new ArrayList<>();
        Catalog catalog = IcebergCatalogs.open(config.catalog());
        try {
            TableBootstrap bootstrap = new TableBootstrap(catalog);
            Map<String, List<PipelineConfig>> bySource = pipelines.stream()
                    .filter(p -> !catalog.tableExists(TableIdentifier.parse(p.target())))
                    .collect(Collectors.groupingBy(PipelineConfig::source));
            for (Map.Entry<String, List<PipelineConfig>> e : bySource.entrySet()) {
                SourceConfig source = config.source(e.getKey()).orElseThrow(() -> new IllegalStateException(
                        "pipelines " + e.getValue().stream().map(PipelineConfig::name).toList() + " name source '" + e.getKey()
                                + "', which is not declared"));
                Function<PipelineConfig, SourceTable> schemas = schemasOf(config, source);
                try {
                    for (PipelineConfig p : e.getValue()) {
                        bootstrap.ensureTable(p, schemas.apply(p), config.catalog().lowerCaseNames());
                        created.add(p.target());
                        LOG.info("Pipeline {}: created lake table {} from source table {} of '{}'", p.name(), p.target(),
                                p.table(), source.name());
                    }
                } finally {
                    if (schemas instanceof AutoCloseable closeable) {
                        closeable.close();
                    }
                }
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        } finally {
            IcebergCatalogs.close(catalog);
        }
        return created;
    }

    private static Function<PipelineConfig, SourceTable> schemasOf(LakeshiftConfig config, SourceConfig source) throws SQLException {
        if (source.cdc()) {
            return new JdbcSchemas(source, source.jdbcUrl());
        }
        DeclaredTable declared = SourceTables.declared(config, source).get(0);
        if (!declared.columnsDeclared()) {
            // JDBC polling: the polled table's columns as its route maps them; a CSV named by its header: unknown yet
            if ("jdbc".equals(source.kind())) {
                declared = SourceTables.polled(config, source);
            } else {
                DeclaredTable undeclared = declared;
                return p -> {
                    throw new IllegalStateException("pipeline " + p.name() + ": source '" + source.name() + "' declares no"
                            + " columns (each file's header names them), so its lake table " + p.target() + " cannot be"
                            + " created before the first file; declare settings.columns with their types ("
                            + undeclared.schemaTable() + ")");
                };
            }
        }
        DeclaredTable table = declared;
        return p -> SourceTable.of(p.sourceSchema(), p.sourceTable(), table.columns(), table.key());
    }

    /** Reads source tables' JDBC metadata over one connection. */
    private static final class JdbcSchemas implements Function<PipelineConfig, SourceTable>, AutoCloseable {
        private final SourceConfig source;
        private final Connection connection;

        JdbcSchemas(SourceConfig source, String url) throws SQLException {
            this.source = source;
            try {
                this.connection = SourceConnections.open(source, url);
            } catch (SQLException e) {
                throw new SQLException("cannot read the schema of source '" + source.name() + "' at " + url + ": "
                        + e.getMessage(), e);
            }
        }

        @Override
        public SourceTable apply(PipelineConfig p) {
            try {
                return SourceTable.read(connection, p.sourceSchema(), p.sourceTable());
            } catch (SQLException e) {
                throw new IllegalStateException("pipeline " + p.name() + ": cannot read source table " + p.table() + " of '"
                        + source.name() + "': " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }
}
