package io.lakeshift.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.avro.Avro;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.avro.PlannedDataReader;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DeleteSchemaUtil;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * The rows of a table that changed between two of its snapshots, read from the files those
 * snapshots added and removed, projected on a few columns. Every row whose content differs between
 * the two snapshots is among them, in its old version, its new version, or both; a few rows may be
 * there that did not change in the end (inserted then deleted, intermediate versions, the unchanged
 * rows of a rewritten file). Callers recompute what depends on these rows, so extra rows cost work,
 * never correctness.
 *
 * <p>Iceberg's changelog scan does not support delete files, and a MERGE on a merge-on-read table
 * records updates and deletes as position deletes. So, per snapshot after the start:
 * <ul>
 *   <li>{@code replace} snapshots (compaction, delete rewrites) change no row: skipped;
 *   <li>rows of added data files: new versions;
 *   <li>rows of removed data files (copy-on-write updates and deletes): old versions;
 *   <li>added position deletes: the rows they point at, read from the data files by position
 *       (old versions, wherever those files came from, compaction output included);
 *   <li>added equality deletes (the streaming apply job's upserts): the keys they delete. Their old
 *       versions are rows of the start snapshot (an older version added after the start is among
 *       the added data files already): the caller looks them up there, with its engine, since
 *       finding them means scanning the whole snapshot when the changes are spread over the
 *       table. When the projection holds nothing but key columns, the keys are the old versions.
 * </ul>
 * Deletion vectors and formats other than Parquet and Avro are not read: the caller gets a reason
 * instead and recomputes in full. So it does when more rows changed than
 * {@code maxChangedRows} (a full reload, say), when reading them would scan more than
 * {@code maxScannedRows} rows, when the start is not an ancestor of the end (a rollback, a replaced
 * table) or a snapshot between them was expired. Only the projected columns are read, so scanning
 * a data file for a few deleted positions is cheap next to recomputing from every row.
 */
final class SnapshotChanges {

    /**
     * @param rows changed rows, projected
     * @param deletedKeys keys an equality delete removed, whose old versions are to be looked up
     *     among the rows of the start snapshot (records of {@code deletedKeySchema}); empty when
     *     the projection holds nothing but key columns, as the keys are then the old versions
     * @param deletedKeySchema the equality delete columns of {@code deletedKeys}, or null when none
     * @param rowsRead rows scanned to find them
     * @param fallbackReason why the changes could not be read, or null
     */
    record Result(List<Record> rows, List<Record> deletedKeys, Schema deletedKeySchema, long rowsRead, String fallbackReason) {

        boolean complete() {
            return fallbackReason == null;
        }

        static Result fallback(String reason) {
            return new Result(List.of(), List.of(), null, 0, reason);
        }
    }

    private SnapshotChanges() {
    }

    /**
     * @param fromExclusive the snapshot the caller processed last
     * @param toInclusive the snapshot to process up to
     * @param columns the columns to project
     * @param maxChangedRows give up (and recompute in full) beyond this many changed rows
     * @param maxScannedRows give up beyond this many rows scanned to find them
     */
    static Result between(Table table, long fromExclusive, long toInclusive, List<String> columns, long maxChangedRows,
            long maxScannedRows) {
        if (fromExclusive == toInclusive) {
            return new Result(List.of(), List.of(), null, 0, null);
        }
        if (table.snapshot(fromExclusive) == null) {
            return Result.fallback("snapshot " + fromExclusive + " of " + table.name() + " was expired");
        }
        if (!SnapshotUtil.isAncestorOf(table, toInclusive, fromExclusive)) {
            return Result.fallback("snapshot " + fromExclusive + " of " + table.name() + " is not an ancestor of " + toInclusive
                    + " (rolled back or replaced)");
        }
        Schema projection = table.schema().select(columns);
        Reader reader = new Reader(table, projection, maxChangedRows, maxScannedRows);
        Map<String, TreeSet<Long>> deletedPositions = new HashMap<>();
        Map<Set<Integer>, Set<List<Object>>> deletedKeys = new HashMap<>();
        for (Snapshot s : SnapshotUtil.ancestorsBetween(table, toInclusive, fromExclusive)) {
            if (DataOperations.REPLACE.equals(s.operation())) {
                continue;
            }
            // Iceberg's own file lists of a snapshot, read with the table's specs (the Snapshot
            // methods read each manifest's spec from its file, and warn that they will go)
            org.apache.iceberg.SnapshotChanges files = org.apache.iceberg.SnapshotChanges.builderFor(table).snapshot(s).build();
            for (DataFile f : files.addedDataFiles()) {
                if (!reader.readAll(f)) {
                    return Result.fallback(reader.reason);
                }
            }
            for (DataFile f : files.removedDataFiles()) {
                if (!reader.readAll(f)) {
                    return Result.fallback(reader.reason);
                }
            }
            for (DeleteFile d : files.addedDeleteFiles()) {
                if (d.format() == FileFormat.PUFFIN) {
                    return Result.fallback("deletion vectors in snapshot " + s.snapshotId());
                }
                if (d.content() == FileContent.EQUALITY_DELETES) {
                    if (!reader.readKeys(d, deletedKeys.computeIfAbsent(Set.copyOf(d.equalityFieldIds()), k -> new HashSet<>()))) {
                        return Result.fallback(reader.reason);
                    }
                } else if (!reader.readPositions(d, deletedPositions)) {
                    return Result.fallback(reader.reason);
                }
            }
        }
        Schema deletedKeySchema = null;
        List<Record> oldVersionsToFind = new ArrayList<>();
        for (Map.Entry<Set<Integer>, Set<List<Object>>> e : deletedKeys.entrySet()) {
            Schema keySchema = TypeUtil.select(table.schema(), e.getKey());
            if (projection.columns().stream().allMatch(f -> e.getKey().contains(f.fieldId()))) {
                reader.keysAsOldVersions(keySchema, e.getValue()); // nothing but key columns asked for
            } else if (deletedKeySchema != null) {
                return Result.fallback("equality deletes on different columns in " + table.name());
            } else {
                deletedKeySchema = keySchema;
                for (List<Object> key : e.getValue()) {
                    oldVersionsToFind.add(record(keySchema, key));
                }
            }
            if (reader.rows.size() + oldVersionsToFind.size() > maxChangedRows) {
                return Result.fallback("more than " + maxChangedRows + " rows changed: a full recompute is cheaper");
            }
        }
        for (Map.Entry<String, TreeSet<Long>> e : deletedPositions.entrySet()) {
            if (!reader.readAt(e.getKey(), e.getValue())) {
                return Result.fallback(reader.reason);
            }
        }
        return new Result(reader.rows, oldVersionsToFind, deletedKeySchema, reader.read, null);
    }

    private static Record record(Schema schema, List<Object> values) {
        GenericRecord r = GenericRecord.create(schema);
        for (int i = 0; i < values.size(); i++) {
            r.set(i, values.get(i));
        }
        return r;
    }

    /** Reads data and delete files with Iceberg's generic readers, counting rows against a budget. */
    private static final class Reader {

        private final Table table;
        private final Schema projection;
        private final long maxChanged;
        private final long maxScanned;
        private final List<Record> rows = new ArrayList<>();
        private long read;
        private String reason;

        Reader(Table table, Schema projection, long maxChanged, long maxScanned) {
            this.table = table;
            this.projection = projection;
            this.maxChanged = maxChanged;
            this.maxScanned = maxScanned;
        }

        boolean readAll(ContentFile<?> file) {
            if (!budget(file.recordCount())) {
                return false;
            }
            try (CloseableIterable<Record> records = open(file.location(), file.format(), projection)) {
                if (records == null) {
                    return false;
                }
                for (Record r : records) {
                    rows.add(r.copy());
                }
                return changedWithinBudget();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file.location() + ": " + e.getMessage(), e);
            }
        }

        boolean readPositions(DeleteFile deletes, Map<String, TreeSet<Long>> into) {
            if (!budget(deletes.recordCount())) {
                return false;
            }
            try (CloseableIterable<Record> records = open(deletes.location(), deletes.format(), DeleteSchemaUtil.pathPosSchema())) {
                if (records == null) {
                    return false;
                }
                for (Record r : records) {
                    into.computeIfAbsent(r.get(0).toString(), k -> new TreeSet<>()).add((Long) r.get(1));
                }
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + deletes.location() + ": " + e.getMessage(), e);
            }
        }

        /** Adds the keys an equality delete file deletes, each as the list of its equality field values in id order. */
        boolean readKeys(DeleteFile deletes, Set<List<Object>> into) {
            if (!budget(deletes.recordCount())) {
                return false;
            }
            Schema keys = TypeUtil.select(table.schema(), new HashSet<>(deletes.equalityFieldIds()));
            try (CloseableIterable<Record> records = open(deletes.location(), deletes.format(), keys)) {
                if (records == null) {
                    return false;
                }
                for (Record r : records) {
                    into.add(keyOf(r, keys));
                }
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + deletes.location() + ": " + e.getMessage(), e);
            }
        }

        /** Adds deleted keys as the old versions of their rows, when only key columns are projected. */
        void keysAsOldVersions(Schema keySchema, Set<List<Object>> keys) {
            for (List<Object> key : keys) {
                Record r = GenericRecord.create(projection);
                for (Types.NestedField f : projection.columns()) {
                    r.setField(f.name(), key.get(keySchema.columns().indexOf(keySchema.findField(f.fieldId()))));
                }
                rows.add(r);
            }
        }

        private static List<Object> keyOf(Record r, Schema keySchema) {
            List<Object> key = new ArrayList<>(keySchema.columns().size());
            for (Types.NestedField f : keySchema.columns()) {
                Object v = r.getField(f.name());
                key.add(v instanceof CharSequence c ? c.toString() : v);
            }
            return key;
        }

        /** The rows of a data file at the given positions: the file is read in order up to the last one. */
        boolean readAt(String path, TreeSet<Long> positions) {
            FileFormat format = FileFormat.fromFileName(path);
            try (CloseableIterable<Record> records = open(path, format, projection)) {
                if (records == null) {
                    return false;
                }
                long position = 0;
                long last = positions.last();
                for (Record r : records) {
                    if (positions.contains(position)) {
                        rows.add(r.copy());
                    }
                    if (++position > last) {
                        break;
                    }
                }
                return budget(position) && changedWithinBudget();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
            }
        }

        private boolean budget(long more) {
            read += more;
            if (read > maxScanned) {
                reason = "more than " + maxScanned + " rows to scan for the changes: a full recompute is cheaper";
                return false;
            }
            return true;
        }

        private boolean changedWithinBudget() {
            if (rows.size() > maxChanged) {
                reason = "more than " + maxChanged + " rows changed: a full recompute is cheaper";
                return false;
            }
            return true;
        }

        private CloseableIterable<Record> open(String path, FileFormat format, Schema schema) {
            InputFile input = table.io().newInputFile(path);
            if (format == FileFormat.PARQUET) {
                return Parquet.read(input).project(schema)
                        .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(schema, fileSchema)).build();
            }
            if (format == FileFormat.AVRO) {
                return Avro.read(input).project(schema).createResolvingReader(PlannedDataReader::create).build();
            }
            reason = "file format " + format + " of " + path;
            return null;
        }
    }
}
