package io.lakeshift.lakehouse;

import io.lakeshift.core.config.CatalogConfig;
import io.lakeshift.core.config.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileMetadata;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/**
 * Real Iceberg tables for lakehouse tests, committed through the Java API. Data and delete files
 * are real files on disk with the sizes and record counts the manifests claim (their content is
 * not Parquet: these tests read metadata only, never rows).
 */
final class TestTables {

    static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "name", Types.StringType.get()));

    private TestTables() {
    }

    static CatalogConfig sqliteCatalog(Path dir) {
        return new CatalogConfig("lakeshift", "jdbc", "jdbc:sqlite:" + dir.resolve("catalog.db"), dir.resolve("warehouse").toString(),
                "", Secret.empty(), Map.of());
    }

    static Table create(Catalog catalog, String name) {
        TableIdentifier id = TableIdentifier.parse(name);
        if (catalog instanceof org.apache.iceberg.catalog.SupportsNamespaces ns && !ns.namespaceExists(id.namespace())) {
            ns.createNamespace(id.namespace());
        }
        return catalog.buildTable(id, SCHEMA).withPartitionSpec(PartitionSpec.unpartitioned())
                .withProperty("format-version", "2").create();
    }

    /** Appends one data file of {@code bytes} bytes holding {@code records} records; marks the commit if {@code job} is set. */
    static DataFile append(Table table, long bytes, long records, String job, Long batchId) {
        DataFile file = dataFile(table, bytes, records);
        AppendFiles append = table.newAppend().appendFile(file);
        if (job != null) {
            append.set(SnapshotProtection.JOB, job);
        }
        if (batchId != null) {
            append.set(SnapshotProtection.BATCH_ID, Long.toString(batchId));
        }
        append.commit();
        return file;
    }

    /** A data file on disk, not committed. */
    static DataFile dataFile(Table table, long bytes, long records) {
        return DataFiles.builder(table.spec()).withPath(writeFile(table, "data", bytes))
                .withFileSizeInBytes(bytes).withRecordCount(records).withFormat(FileFormat.PARQUET).build();
    }

    static DeleteFile positionDeletes(Table table, DataFile target, long records) {
        DeleteFile deletes = FileMetadata.deleteFileBuilder(table.spec()).ofPositionDeletes()
                .withPath(writeFile(table, "data", 100)).withFileSizeInBytes(100).withRecordCount(records)
                .withReferencedDataFile(target.location()).withFormat(FileFormat.PARQUET).build();
        table.newRowDelta().addDeletes(deletes).commit();
        return deletes;
    }

    private static String writeFile(Table table, String folder, long bytes) {
        Path path = Path.of(table.location().replaceFirst("^file:", ""), folder, UUID.randomUUID() + ".parquet");
        try {
            Files.createDirectories(path.getParent());
            Files.write(path, new byte[(int) Math.min(bytes, 4096)]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return path.toString();
    }
}
