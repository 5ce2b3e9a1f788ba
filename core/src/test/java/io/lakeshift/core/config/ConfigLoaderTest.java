package io.lakeshift.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void embeddedDefaultsAreValidAndExpandTheDataDir() {
        LakeshiftConfig config = ConfigLoader.defaults(dir);

        assertThat(config.dataDir()).isEqualTo(dir.toAbsolutePath());
        assertThat(config.kafka().embedded()).isTrue();
        assertThat(config.catalog().uri()).as("the embedded PostgreSQL catalog database").isEqualTo("embedded");
        assertThat(config.catalog().warehouse()).as("a warehouse URI with a scheme").isEqualTo("file:" + dir.toAbsolutePath() + "/warehouse");
        assertThat(config.catalog().lowerCaseNames()).isTrue();
        assertThat(config.spark().checkpointDir()).isEqualTo(dir.toAbsolutePath() + "/checkpoints");
        assertThat(config.pipelines()).extracting(PipelineConfig::name)
                .containsExactly("retail.customers", "retail.orders", "retail.order_lines");
        assertThat(config.pipelines().get(1).target()).isEqualTo("retail.orders");
        assertThat(config.pipelines().get(1).sourceSchema()).isEqualTo("retail");
        assertThat(config.pipelines()).allSatisfy(p -> assertThat(p.stage()).isEqualTo("STREAMING"));
    }

    @Test
    void lakeNamesAreLowerCaseAndPipelinesNeedNoStage() throws Exception {
        Path file = dir.resolve("lakeshift.yaml");
        Files.writeString(file, """
                sources:
                  - {name: erp, kind: postgres, host: db, database: erp, username: u, tables: [erp.Customer, erp.order]}
                pipelines:
                  - {name: erp.customer, source: erp, table: erp.Customer, target: erp.Customer}
                """);
        LakeshiftConfig config = ConfigLoader.load(file, dir, List.of());
        assertThat(config.pipelines().get(0).target()).isEqualTo("erp.customer");
        assertThat(config.pipelines().get(0).stage()).isEqualTo("STREAMING");
        assertThat(config.sources().get(0).port()).as("PostgreSQL's usual port").isEqualTo(5432);
        assertThat(config.sources().get(0).snapshotMode()).isEqualTo("initial");

        LakeshiftConfig kept = ConfigLoader.load(file, dir, List.of("catalog.lowerCaseNames=false"));
        assertThat(kept.pipelines().get(0).target()).isEqualTo("erp.Customer");
    }

    @Test
    void twoSourceTablesFoldingToOneLakeTableAreRejectedNamingBoth() throws Exception {
        Path file = dir.resolve("lakeshift.yaml");
        Files.writeString(file, """
                sources:
                  - {name: erp, kind: postgres, host: db, database: erp, username: u, tables: [erp.Customer, erp.customer]}
                """);
        assertThatThrownBy(() -> ConfigLoader.load(file, dir, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("erp.Customer").hasMessageContaining("erp.customer")
                .hasMessageContaining("both write lake table erp.customer");
    }

    @Test
    void fileAndOverridesMergeOverDefaults() throws Exception {
        Path file = dir.resolve("lakeshift.yaml");
        Files.writeString(file, """
                kafka:
                  bootstrapServers: broker1:9092,broker2:9092
                  client:
                    security.protocol: SASL_SSL
                spark:
                  master: spark://spark-master:7077
                """);

        LakeshiftConfig config = ConfigLoader.load(file, dir, List.of("spark.shufflePartitions=16", "sources[0].host=db.internal"));

        assertThat(config.kafka().bootstrapServers()).isEqualTo("broker1:9092,broker2:9092");
        assertThat(config.kafka().topicPrefix()).isEqualTo("lakeshift");
        assertThat(config.kafka().clientProperties()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(config.spark().master()).isEqualTo("spark://spark-master:7077");
        assertThat(config.spark().shufflePartitions()).isEqualTo(16);
        assertThat(config.sources().get(0).host()).isEqualTo("db.internal");
        assertThat(config.sources().get(0).tables()).hasSize(3);
    }

    @Test
    void unknownKeyIsNamed() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "kafka:\n  bootstrapServer: typo:9092\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, dir, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.bootstrapServer: unknown key");
    }

    @Test
    void everyInvalidValueIsReportedWithItsKey() {
        assertThatThrownBy(() -> ConfigLoader.load(null, dir, List.of("spark.shufflePartitions=0", "catalog.type=hive",
                "sources[0].tables=[orders]", "kafka.topicPrefix=bad prefix")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactlyInAnyOrder(
                        "kafka.topicPrefix: must be letters, digits, '.', '_' or '-'",
                        "sources[0].tables: 'orders' is not schema.table",
                        "catalog.type: must be one of [jdbc, hadoop, rest]",
                        "spark.shufflePartitions: must be positive"));
    }

    @Test
    void ingestionRestartSettingsHaveDefaultsAndAreValidatedByKey() {
        assertThat(ConfigLoader.defaults(dir).ingestion()).isEqualTo(IngestionConfig.DEFAULTS);
        assertThat(ConfigLoader.load(null, dir, List.of("ingestion.retryMaxBackoffMs=2000", "ingestion.giveUpAfterMs=30000"))
                .ingestion()).isEqualTo(new IngestionConfig(2000, 30000));
        assertThatThrownBy(() -> ConfigLoader.load(null, dir, List.of("ingestion.retryMaxBackoffMs=0", "ingestion.giveUpAfterMs=-1")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactlyInAnyOrder(
                        "ingestion.retryMaxBackoffMs: must be positive (milliseconds)",
                        "ingestion.giveUpAfterMs: must be positive (milliseconds)"));
        assertThatThrownBy(() -> ConfigLoader.load(null, dir, List.of("ingestion.retryMaxBackoffMs=60000", "ingestion.giveUpAfterMs=5000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ingestion.retryMaxBackoffMs: must not be longer than");
    }

    @Test
    void wrongTypeIsNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(null, dir, List.of("spark.shufflePartitions=many")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("spark.shufflePartitions");
    }

    @Test
    void pipelineMustReferToADeclaredSource() throws Exception {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, """
                pipelines:
                  - name: orders
                    source: erp
                    table: retail.orders
                    target: retail.orders
                    stage: BATCH
                """);
        assertThatThrownBy(() -> ConfigLoader.load(file, dir, List.of()))
                .hasMessageContaining("pipelines[0].source: 'erp' is not a declared source");
    }

    @Test
    void malformedOverrideIsRejected() {
        assertThatThrownBy(() -> ConfigLoader.load(null, dir, List.of("no-equals-sign")))
                .hasMessageContaining("--set: 'no-equals-sign' is not key=value");
        assertThatThrownBy(() -> ConfigLoader.load(null, dir, List.of("sources[5].host=x")))
                .hasMessageContaining("no element 5 in 'sources'");
    }

    @Test
    void secretsAreMaskedAndResolvedFromEnvironmentOrFile() throws Exception {
        Path secretFile = dir.resolve("pw");
        Files.writeString(secretFile, "from-file\n");

        Secret literal = Secret.parse("s3cr3t");
        Secret env = Secret.parse("env:PG_PASSWORD", Map.of("PG_PASSWORD", "from-env"));
        Secret file = Secret.parse("file:" + secretFile);

        assertThat(literal.reveal()).isEqualTo("s3cr3t");
        assertThat(env.reveal()).isEqualTo("from-env");
        assertThat(file.reveal()).isEqualTo("from-file");
        assertThat(List.of(literal, env, file)).allSatisfy(s -> assertThat(s.toString()).isEqualTo(Secret.MASK));
        assertThat(env.origin()).isEqualTo("environment variable PG_PASSWORD");
        assertThatThrownBy(() -> Secret.parse("env:MISSING_VAR", Map.of())).hasMessage("environment variable MISSING_VAR is not set");
    }

    @Test
    void configToStringNeverShowsPasswords() {
        LakeshiftConfig config = ConfigLoader.load(null, dir, List.of("sources[0].password=hunter2-very-secret"));
        assertThat(config.toString()).doesNotContain("hunter2-very-secret").contains(Secret.MASK);
        assertThat(config.sources().get(0).password().reveal()).isEqualTo("hunter2-very-secret");
    }

    @Test
    void jobArgumentsAcceptCommonAndDeclaredOptions() {
        JobArguments args = JobArguments.parse(new String[] {"--data-dir", dir.toString(), "--source", "retail",
                "--set", "spark.master=local[1]"}, java.util.Set.of("source"));
        assertThat(args.option("source", null)).isEqualTo("retail");
        assertThat(args.loadConfig().spark().master()).isEqualTo("local[1]");
        assertThatThrownBy(() -> JobArguments.parse(new String[] {"--bogus", "1"}, java.util.Set.of("source")))
                .hasMessageContaining("--bogus: unknown option");
    }
}
