package io.lakeshift.batch;

import io.lakeshift.core.config.SourceConfig;
import io.lakeshift.core.jdbc.Lsn;
import io.lakeshift.core.jdbc.SourceConnections;
import io.lakeshift.lakehouse.CatalogProperties;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Source positions for batch jobs Lakeshift did not write: a team's SSIS package, Spark job or
 * script behind an Airflow DAG. Such a job asks for the source's position before it reads
 * ({@link #current}) and, once its output is written, records that position on the output table
 * ({@link #mark}) under the snapshot-summary property a reconciliation looks for. The table's
 * state at that mark is then compared with the streaming side at the same position.
 *
 * <p>The position is exact only when the job read everything in one transaction that began after
 * it was taken; rows changed while a job reads without one show as differences.
 */
public final class BatchPositions {

    /** The snapshot-summary property a reconciliation reads by default ({@code lakeshift.source-position}). */
    public static final String PROPERTY = FullReloadJob.SOURCE_POSITION;
    /** Snapshot-summary property naming what recorded the position. */
    public static final String MARKED_BY = CatalogProperties.SUMMARY_PREFIX + "position-marked-by";

    private static final Logger LOG = LoggerFactory.getLogger(BatchPositions.class);

    private BatchPositions() {
    }

    /**
     * The source's position now, as {@code lsn=16/B374D848}: PostgreSQL's WAL insert position, the
     * end of everything committed so far (and of what is being written, so an upper bound for a
     * read that starts after it).
     */
    public static String current(SourceConfig source) throws SQLException {
        if (!"postgres".equals(source.kind())) {
            throw new IllegalArgumentException("source '" + source.name() + "' is " + source.kind()
                    + ": batch positions are PostgreSQL LSNs; reconciliation at a position reads PostgreSQL sources");
        }
        try (Connection c = SourceConnections.open(source); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
            rs.next();
            return Lsn.position(Lsn.parse(rs.getString(1)));
        }
    }

    /**
     * Records {@code position} on the table's current state: a commit that changes no data and carries
     * the position in its summary, so it marks exactly what the job wrote before it.
     *
     * @param property the summary property ({@link #PROPERTY} unless the pipeline's playbook names another)
     * @param position a position {@link Lsn#parse} reads; it is recorded as {@code lsn=...}
     * @return the marking snapshot
     * @throws IllegalArgumentException for a position that is none, or a table with nothing written yet
     */
    public static Snapshot mark(Table table, String property, String position, String markedBy) {
        String recorded = Lsn.position(Lsn.parse(position));
        if (property == null || property.isBlank()) {
            throw new IllegalArgumentException("the snapshot-summary property to record the position under is blank");
        }
        table.refresh();
        if (table.currentSnapshot() == null) {
            throw new IllegalArgumentException("table " + table.name() + " has no data yet: mark its position after"
                    + " the batch job has written it");
        }
        table.newAppend().set(property, recorded).set(MARKED_BY, markedBy).commit();
        Snapshot marked = table.currentSnapshot();
        LOG.info("Recorded source position {} on {} as {} (snapshot {})", recorded, table.name(), property, marked.snapshotId());
        return marked;
    }
}
