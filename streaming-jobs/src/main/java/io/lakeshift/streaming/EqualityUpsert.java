package io.lakeshift.streaming;

import static org.apache.spark.sql.functions.col;

import io.lakeshift.lakehouse.LakeshiftColumns;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SerializableTable;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.FileWriter;
import org.apache.iceberg.io.FileWriterFactory;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.io.RollingDataWriter;
import org.apache.iceberg.io.RollingEqualityDeleteWriter;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.PropertyUtil;
import org.apache.iceberg.util.StructLikeMap;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a batch's newest change per key to a merge-on-read table as one Iceberg row delta: an
 * equality delete of every key the batch touches, and the new row of every key it did not delete.
 * Files are written on the executors, by Iceberg's own writers, and committed at once.
 *
 * <p>Unlike a MERGE, this never reads the table: its cost follows the batch, not the table. It is
 * only right when every change of the batch is newer than anything the table holds for its key
 * ({@link HighWater}), and when a key's rows all live in one partition (the table is unpartitioned
 * or partitioned by key columns only, as an equality delete applies within its partition). The
 * caller checks both; the commit fails validation, and writes nothing, when another writer added
 * rows to the table since {@code base}.
 */
final class EqualityUpsert {

    private static final Logger LOG = LoggerFactory.getLogger(EqualityUpsert.class);

    private EqualityUpsert() {
    }

    /** Why {@code table} cannot take an equality upsert by {@code key}, or null when it can. */
    static String unsupportedReason(Table table, List<String> key) {
        String mode = table.properties().getOrDefault(TableProperties.MERGE_MODE, TableProperties.MERGE_MODE_DEFAULT);
        if (!"merge-on-read".equals(mode)) {
            return "the table is " + mode;
        }
        int format = PropertyUtil.propertyAsInt(table.properties(), TableProperties.FORMAT_VERSION, 2);
        if (format < 2) {
            return "format v" + format + " has no delete files";
        }
        Set<Integer> keyIds = new HashSet<>();
        for (String k : key) {
            Types.NestedField f = table.schema().findField(k);
            if (f == null) {
                return "key column " + k + " is not in the table";
            }
            keyIds.add(f.fieldId());
        }
        for (PartitionField p : table.spec().fields()) {
            if (!keyIds.contains(p.sourceId())) {
                return "it is partitioned by " + p.name() + ", not by the key alone (a change can move a row to another partition)";
            }
        }
        return InternalRowRecords.unsupportedColumn(table.schema());
    }

    /**
     * Writes and commits the row delta.
     *
     * @param latest the newest change per key: every table column, and {@code _ls_op}
     * @param base the table snapshot the caller found the batch newer than (null: the table was empty)
     * @return false when another writer added rows since {@code base}: nothing was committed, the
     *     files written were removed, and the caller must apply the batch another way
     */
    static boolean commit(SparkSession spark, Table table, Dataset<Row> latest, List<String> key, Snapshot base,
            Map<String, String> summary) {
        int[] keyIds = keyIds(table, key);
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<Table> shared = context.broadcast(SerializableTable.copyOf(table));
        List<WrittenFiles> written;
        try {
            WriteTask task = new WriteTask(shared, keyIds, UUID.randomUUID().toString());
            written = inTableOrder(table, latest).queryExecution().toRdd().toJavaRDD().mapPartitions(task).collect();
        } finally {
            shared.destroy();
        }
        return commitFiles(table, written, base, summary);
    }

    /**
     * A small batch's changes collected to the driver and reduced to the newest per key there; it
     * is committed like {@link #commit}, and its deletes can be recorded, from the driver: a small
     * batch is spared the Spark jobs of the newest-per-key aggregate and of the writes.
     *
     * @param changes every valid change of the batch: every table column, and {@code _ls_op}
     */
    static Collected collect(Table table, Dataset<Row> changes, List<String> key) {
        Changes read = new Changes(table.schema());
        Map<List<Object>, Change> newest = new HashMap<>();
        for (InternalRow row : inTableOrder(table, changes).queryExecution().executedPlan().executeCollect()) {
            Change change = read.of(row);
            newest.merge(key.stream().map(change.row()::getField).toList(), change, (a, b) -> b.position().isAfter(a.position()) ? b : a);
        }
        return new Collected(table, keyIds(table, key), List.copyOf(newest.values()));
    }

    /** The newest change per key of a batch, on the driver. */
    static final class Collected {

        private final Table table;
        private final int[] keyIds;
        private final List<Change> newest;

        private Collected(Table table, int[] keyIds, List<Change> newest) {
            this.table = table;
            this.keyIds = keyIds;
            this.newest = newest;
        }

        /** @return false when another writer added rows since {@code base}: nothing was committed */
        boolean commit(Snapshot base, Map<String, String> summary) throws IOException {
            WrittenFiles written = write(table, keyIds, UUID.randomUUID().toString(), 0, System.nanoTime(), newest.iterator());
            return commitFiles(table, List.of(written), base, summary);
        }

        /**
         * Appends a marker of every key the batch deleted (its key columns and the delete's source
         * position) to the unpartitioned delete-marker table {@code markers}, in one commit.
         */
        void appendDeleteMarkers(Table markers, Map<String, String> summary) throws IOException {
            Schema schema = markers.schema();
            FileFormat format = fileFormat(markers);
            FileWriterFactory<Record> writers = new GenericFileWriterFactory.Builder(markers)
                    .dataFileFormat(format).dataSchema(schema).build();
            OutputFileFactory files = OutputFileFactory.builderFor(markers, 0, System.nanoTime()).format(format)
                    .operationId(UUID.randomUUID().toString()).build();
            DataWriter<Record> writer = writers.newDataWriter(files.newOutputFile(), markers.spec(), null);
            try (writer) {
                for (Change change : newest) {
                    if (change.deleted()) {
                        GenericRecord marker = GenericRecord.create(schema);
                        for (Types.NestedField f : schema.columns()) {
                            marker.setField(f.name(), change.row().getField(f.name()));
                        }
                        writer.write(marker);
                    }
                }
            }
            AppendFiles append = markers.newAppend().appendFile(writer.toDataFile());
            summary.forEach(append::set);
            append.commit();
        }
    }

    /** A change as the writers take it: the row in the table's schema, and whether it deletes its key. */
    private record Change(Record row, boolean deleted) {

        ChangePosition position() {
            return new ChangePosition((Long) row.getField(LakeshiftColumns.SEQ_HI), (Long) row.getField(LakeshiftColumns.SEQ_LO));
        }
    }

    /** Reads changes from internal rows of the table's columns followed by {@code _ls_op}. */
    private static final class Changes {

        private final InternalRowRecords records;
        private final int opIndex;

        Changes(Schema schema) {
            this.records = new InternalRowRecords(schema);
            this.opIndex = schema.columns().size();
        }

        Change of(InternalRow row) {
            return new Change(records.toRecord(row), "d".equals(row.getUTF8String(opIndex).toString()));
        }
    }

    /** The changes' table columns in table order, then {@code _ls_op}. */
    private static Dataset<Row> inTableOrder(Table table, Dataset<Row> changes) {
        List<Column> columns = new ArrayList<>();
        Set<String> present = new HashSet<>(Arrays.asList(changes.columns()));
        for (Types.NestedField f : table.schema().columns()) {
            if (!present.contains(f.name())) {
                throw new IllegalArgumentException("the changes carry no column " + f.name() + " of " + table.name());
            }
            columns.add(col(ChangeBatchApplier.MergeStatement.q(f.name())));
        }
        columns.add(col(LakeTables.OP));
        return changes.select(columns.toArray(Column[]::new));
    }

    private static int[] keyIds(Table table, List<String> key) {
        return key.stream().mapToInt(k -> table.schema().findField(k).fieldId()).toArray();
    }

    private static boolean commitFiles(Table table, List<WrittenFiles> written, Snapshot base, Map<String, String> summary) {
        RowDelta delta = table.newRowDelta();
        int dataFiles = 0;
        int deleteFiles = 0;
        for (WrittenFiles files : written) {
            for (DataFile f : files.data()) {
                delta.addRows(f);
                dataFiles++;
            }
            for (DeleteFile f : files.deletes()) {
                delta.addDeletes(f);
                deleteFiles++;
            }
        }
        if (base != null) {
            // Compaction (a replace) may commit meanwhile: its files keep their sequence numbers and
            // the equality deletes still apply to them. Rows another writer added may be newer.
            delta.validateFromSnapshot(base.snapshotId()).conflictDetectionFilter(Expressions.alwaysTrue())
                    .validateNoConflictingDataFiles();
        }
        summary.forEach(delta::set);
        try {
            delta.commit();
        } catch (ValidationException e) {
            LOG.warn("Equality upsert into {} not committed: another writer added rows since snapshot {} ({}); applying by MERGE",
                    table.name(), base.snapshotId(), e.getMessage());
            written.forEach(files -> files.removeFrom(table));
            return false;
        }
        LOG.debug("Equality upsert into {}: {} data file(s), {} equality delete file(s)", table.name(), dataFiles, deleteFiles);
        return true;
    }

    /** What one task wrote. */
    record WrittenFiles(List<DataFile> data, List<DeleteFile> deletes) implements Serializable {

        void removeFrom(Table table) {
            List<ContentFile<?>> all = new ArrayList<>(data);
            all.addAll(deletes);
            for (ContentFile<?> f : all) {
                try {
                    table.io().deleteFile(f.location());
                } catch (RuntimeException e) {
                    LOG.warn("Cannot remove uncommitted file {} (orphan file removal will): {}", f.location(), e.getMessage());
                }
            }
        }
    }

    /** Writes a task's rows: every key into equality deletes, every row not deleted into data files, per partition. */
    private static final class WriteTask implements FlatMapFunction<Iterator<InternalRow>, WrittenFiles> {

        private static final long serialVersionUID = 1L;

        private final Broadcast<Table> table;
        private final int[] keyIds;
        private final String operationId;

        WriteTask(Broadcast<Table> table, int[] keyIds, String operationId) {
            this.table = table;
            this.keyIds = keyIds;
            this.operationId = operationId;
        }

        @Override
        public Iterator<WrittenFiles> call(Iterator<InternalRow> rows) throws IOException {
            TaskContext context = TaskContext.get();
            Table t = table.value();
            Changes read = new Changes(t.schema());
            Iterator<Change> changes = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public Change next() {
                    return read.of(rows.next());
                }
            };
            return List.of(write(t, keyIds, operationId, context.partitionId(), context.taskAttemptId(), changes)).iterator();
        }
    }

    /** Writes changes: every key into equality deletes, every row not deleted into data files, per partition. */
    private static WrittenFiles write(Table t, int[] keyIds, String operationId, int partitionId, long taskId,
            Iterator<Change> changes) throws IOException {
        Schema schema = t.schema();
        Schema keySchema = TypeUtil.select(schema, Arrays.stream(keyIds).boxed().collect(Collectors.toSet()));
        PartitionSpec spec = t.spec();
        FileFormat format = fileFormat(t);
        long targetSize = PropertyUtil.propertyAsLong(t.properties(), TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
                TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
        FileWriterFactory<Record> writers = new GenericFileWriterFactory.Builder(t)
                .dataFileFormat(format).dataSchema(schema)
                .deleteFileFormat(format).equalityFieldIds(keyIds).equalityDeleteRowSchema(keySchema)
                .build();
        OutputFileFactory files = OutputFileFactory.builderFor(t, partitionId, taskId).format(format).operationId(operationId).build();
        PartitionKey partition = spec.isUnpartitioned() ? null : new PartitionKey(spec, schema);
        InternalRecordWrapper internal = new InternalRecordWrapper(schema.asStruct());
        StructLikeMap<RollingDataWriter<Record>> dataWriters = StructLikeMap.create(spec.partitionType());
        StructLikeMap<RollingEqualityDeleteWriter<Record>> deleteWriters = StructLikeMap.create(spec.partitionType());
        try {
            while (changes.hasNext()) {
                Change change = changes.next();
                Record record = change.row();
                StructLike at = null;
                if (partition != null) {
                    partition.partition(internal.wrap(record));
                    at = partition;
                }
                RollingEqualityDeleteWriter<Record> deletes = deleteWriters.get(at == null ? EMPTY : at);
                if (deletes == null) {
                    StructLike copy = at == null ? null : partition.copy();
                    deletes = new RollingEqualityDeleteWriter<>(writers, files, t.io(), targetSize, spec, copy);
                    deleteWriters.put(copy == null ? EMPTY : copy, deletes);
                }
                deletes.write(keyOf(record, keySchema));
                if (!change.deleted()) {
                    RollingDataWriter<Record> data = dataWriters.get(at == null ? EMPTY : at);
                    if (data == null) {
                        StructLike copy = at == null ? null : partition.copy();
                        data = new RollingDataWriter<>(writers, files, t.io(), targetSize, spec, copy);
                        dataWriters.put(copy == null ? EMPTY : copy, data);
                    }
                    data.write(record);
                }
            }
        } catch (RuntimeException e) {
            abort(dataWriters.values(), deleteWriters.values(), t);
            throw e;
        }
        List<DataFile> data = new ArrayList<>();
        List<DeleteFile> deletes = new ArrayList<>();
        for (RollingDataWriter<Record> w : dataWriters.values()) {
            w.close();
            data.addAll(w.result().dataFiles());
        }
        for (RollingEqualityDeleteWriter<Record> w : deleteWriters.values()) {
            w.close();
            deletes.addAll(w.result().deleteFiles());
        }
        return new WrittenFiles(data, deletes);
    }

    private static FileFormat fileFormat(Table t) {
        return FileFormat.fromString(t.properties().getOrDefault(TableProperties.DEFAULT_FILE_FORMAT,
                TableProperties.DEFAULT_FILE_FORMAT_DEFAULT));
    }

    private static Record keyOf(Record row, Schema keySchema) {
        GenericRecord key = GenericRecord.create(keySchema);
        for (Types.NestedField f : keySchema.columns()) {
            key.setField(f.name(), row.getField(f.name()));
        }
        return key;
    }

    /** Closes every writer of a failed write; what they wrote is never committed (orphan file removal deletes it). */
    private static void abort(Iterable<? extends FileWriter<Record, ?>> data, Iterable<? extends FileWriter<Record, ?>> deletes,
            Table t) {
        for (Iterable<? extends FileWriter<Record, ?>> writers : List.of(data, deletes)) {
            for (FileWriter<Record, ?> w : writers) {
                try {
                    w.close();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Cannot close a writer of {} after a failed write: {}", t.name(), e.getMessage());
                }
            }
        }
    }

    /** The partition of an unpartitioned table's rows in the writer maps. */
    private static final StructLike EMPTY = new StructLike() {
        @Override
        public int size() {
            return 0;
        }

        @Override
        public <T> T get(int pos, Class<T> javaClass) {
            throw new IndexOutOfBoundsException(pos);
        }

        @Override
        public <T> void set(int pos, T value) {
            throw new IndexOutOfBoundsException(pos);
        }
    };
}
