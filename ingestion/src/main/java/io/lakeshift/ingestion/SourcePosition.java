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

    /**
     * The low part of the n-th snapshot read's position (n from 1). A snapshot reads every row at one
     * source position, so the reads are told apart by the order they are read in: they sort before a
     * streamed change at the same position (whose low part is 1 or more) and rise strictly, which lets
     * the apply job take the cheap in-order path for a snapshot's batches (no copy search in the batch,
     * no overlap with what the changelog holds, equality upserts instead of MERGEs). A snapshot that
     * starts again reads its rows again, under new positions.
     */
    static long snapshotReadLow(long n) {
        return Long.MIN_VALUE + n;
    }

    /** {@code schema.table}, as the config names tables. */
    String qualifiedTable() {
        return schema + "." + table;
    }
}
