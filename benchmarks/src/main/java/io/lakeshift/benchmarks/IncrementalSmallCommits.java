package io.lakeshift.benchmarks;

import io.lakeshift.lakehouse.SnapshotProtection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileMetadata;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;

/**
 * A table after a day of small streaming commits, made fast: {@code commits} commits through the
 * Iceberg API, each the shape of a streaming micro-batch on a merge-on-read table (a small Parquet
 * data file of new rows and, every other commit, a position delete file for rows of the previous
 * commit), marked with the job and batch id as the apply job marks its commits. Real files and real
 * commits, without a Spark job per commit.
 */
final class IncrementalSmallCommits {

    static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "status", Types.StringType.get()),
            Types.NestedField.optional(3, "amount", Types.DoubleType.get()));
    static final String JOB = "apply-bench";
    private static final int ROWS_PER_COMMIT = 20;

    private IncrementalSmallCommits() {
    }

    static Table write(Catalog catalog, String name, int commits) {
        TableIdentifier id = TableIdentifier.parse(name);
        if (catalog instanceof SupportsNamespaces ns && !ns.namespaceExists(id.namespace())) {
            ns.createNamespace(Namespace.of(id.namespace().levels()));
        }
        if (catalog.tableExists(id)) {
            catalog.dropTable(id, true);
        }
        Table table = catalog.buildTable(id, SCHEMA).withPartitionSpec(PartitionSpec.unpartitioned())
                .withProperty("format-version", "2").withProperty("write.metadata.delete-after-commit.enabled", "true")
                .withProperty("write.metadata.previous-versions-max", "100").create();
        DataFile previous = null;
        for (int batch = 0; batch < commits; batch++) {
            DataFile data = dataFile(table, batch);
            RowDelta delta = table.newRowDelta().addRows(data)
                    .set(SnapshotProtection.JOB, JOB).set(SnapshotProtection.BATCH_ID, Integer.toString(batch));
            if (previous != null && batch % 2 == 1) {
                delta.addDeletes(positionDeletes(table, previous));
            }
            delta.commit();
            previous = data;
        }
        return table;
    }

    private static DataFile dataFile(Table table, int batch) {
        OutputFile out = table.io().newOutputFile(table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet"));
        try {
            FileAppender<Record> appender = Parquet.write(out).schema(SCHEMA).createWriterFunc(GenericParquetWriter::create)
                    .overwrite().build();
            try (appender) {
                GenericRecord record = GenericRecord.create(SCHEMA);
                for (int i = 0; i < ROWS_PER_COMMIT; i++) {
                    appender.add(record.copy("id", (long) batch * ROWS_PER_COMMIT + i, "status", "NEW", "amount", i * 1.5));
                }
            }
            return DataFiles.builder(table.spec()).withPath(out.location()).withFormat(FileFormat.PARQUET)
                    .withFileSizeInBytes(appender.length()).withMetrics(appender.metrics()).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the first two rows of {@code target}, as an update of those rows would. */
    private static DeleteFile positionDeletes(Table table, DataFile target) {
        OutputFile out = table.io().newOutputFile(table.locationProvider().newDataLocation(UUID.randomUUID() + "-deletes.parquet"));
        try {
            PositionDeleteWriter<Record> writer = Parquet.writeDeletes(out).withSpec(table.spec()).overwrite()
                    .metricsConfig(MetricsConfig.forPositionDelete()).buildPositionWriter();
            try (writer) {
                for (long pos = 0; pos < 2; pos++) {
                    PositionDelete<Record> delete = PositionDelete.create();
                    writer.write(delete.set(target.location(), pos));
                }
            }
            // File-scoped, as Spark's merge-on-read writes them: readers match it to its one data file.
            return FileMetadata.deleteFileBuilder(table.spec()).copy(writer.toDeleteFile())
                    .withReferencedDataFile(target.location()).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
