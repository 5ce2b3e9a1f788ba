package io.lakeshift.ingestion;

/**
 * Where one change sits in its source: the fields of the envelope's {@code source} block that
 * depend on the kind of database.
 *
 * @param database the source database
 * @param schema the schema (PostgreSQL) or database (MySQL) holding the table
 * @param table the table
 * @param seqHigh first element of {@code source.seq}
 * @param seqLow second element of {@code source.seq}
 * @param position the same place, written for people
 * @param snapshot true for rows read by a snapshot
 * @param tsMs source commit time, epoch millis, 0 when unknown
 */
record SourcePosition(String database, String schema, String table, long seqHigh, long seqLow, String position,
        boolean snapshot, long tsMs) {

    /** {@code schema.table}, as the config names tables. */
    String qualifiedTable() {
        return schema + "." + table;
    }
}
