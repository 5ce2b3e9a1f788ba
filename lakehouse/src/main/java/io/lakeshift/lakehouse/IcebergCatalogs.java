package io.lakeshift.lakehouse;

import io.lakeshift.core.config.CatalogConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the configured Iceberg catalog through the Java API. */
public final class IcebergCatalogs {

    private static final Logger LOG = LoggerFactory.getLogger(IcebergCatalogs.class);

    private IcebergCatalogs() {
    }

    public static Catalog open(CatalogConfig catalog) {
        prepareLocalStorage(catalog);
        LOG.info("Opening Iceberg {} catalog '{}' with warehouse {}", catalog.type(), catalog.name(), catalog.warehouse());
        return CatalogUtil.buildIcebergCatalog(catalog.name(), CatalogProperties.of(catalog), new Configuration());
    }

    /** A local warehouse and a SQLite catalog file need their folders before first use. */
    public static void prepareLocalStorage(CatalogConfig catalog) {
        try {
            if (isLocal(catalog.warehouse())) {
                Files.createDirectories(Path.of(stripFileScheme(catalog.warehouse())));
            }
            String uri = catalog.uri();
            if (uri != null && uri.startsWith("jdbc:sqlite:")) {
                Path db = Path.of(uri.substring("jdbc:sqlite:".length()));
                if (db.getParent() != null) {
                    Files.createDirectories(db.getParent());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot create local catalog storage: " + e.getMessage(), e);
        }
    }

    private static boolean isLocal(String location) {
        return !location.contains("://") || location.startsWith("file:");
    }

    private static String stripFileScheme(String location) {
        return location.startsWith("file:") ? location.replaceFirst("^file:(//)?", "") : location;
    }
}
