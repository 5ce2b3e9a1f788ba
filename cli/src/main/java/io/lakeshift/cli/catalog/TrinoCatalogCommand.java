package io.lakeshift.cli.catalog;

import io.lakeshift.runtime.CommonOptions;
import io.lakeshift.core.config.CatalogConfig;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.lakehouse.CatalogRuntime;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code lakeshift catalog trino}: a Trino Iceberg catalog properties file for the lake, to drop into
 * {@code etc/catalog/<name>.properties} of a Trino server as it is.
 */
@Command(name = "trino", mixinStandardHelpOptions = true,
        description = {"Prints a Trino Iceberg catalog properties file for the lake (connector, JDBC catalog URL,",
            "catalog name, warehouse, local file system settings), to save as",
            "etc/catalog/<name>.properties of a Trino server. With catalog.uri 'embedded' the embedded catalog",
            "database must be running ('lakeshift up'), or is started for the port it keeps. A password is",
            "written as a ${ENV:...} reference, never in clear."})
public final class TrinoCatalogCommand implements Callable<Integer> {

    /** The environment variable a Trino server reads the catalog database password from. */
    static final String PASSWORD_VARIABLE = "LAKESHIFT_CATALOG_PASSWORD";

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        LakeshiftConfig config = common.load();
        PrintWriter out = spec.commandLine().getOut();
        CatalogConfig catalog = CatalogRuntime.resolve(config.catalog());
        out.print(TrinoCatalogProperties.of(catalog, PASSWORD_VARIABLE));
        out.flush();
        return 0;
    }
}
