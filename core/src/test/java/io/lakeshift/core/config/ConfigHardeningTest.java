package io.lakeshift.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigHardeningTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "a/b", ".hidden", "x..y", "{{ ti }}", "# coding: latin-1", "a b", "a\nb"})
    void unsafePipelineNamesAreRefusedNamingTheKey(String name) throws Exception {
        Path file = dir.resolve("lakeshift.yaml");
        Files.writeString(file, """
                pipelines:
                  - name: %s
                    source: retail
                    table: retail.orders
                    target: retail.orders
                """.formatted(yamlString(name)));

        assertThatThrownBy(() -> ConfigLoader.load(file, dir, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("pipelines[0].name")
                .hasMessageContaining("letters, digits, '_', '.' or '-'");
    }

    @Test
    void derivedPipelineNamesAndDottedNamesAreAccepted() throws Exception {
        LakeshiftConfig config = ConfigLoader.load(pipelineFile("erp.customer-v2_1", null), dir, List.of());

        assertThat(config.pipelines()).extracting(PipelineConfig::name).containsExactly("erp.customer-v2_1");
        assertThat(ConfigLoader.defaults(dir).pipelines()).extracting(PipelineConfig::name).contains("retail.orders");
    }

    @Test
    void unsafeSourceNamesAndDagIdsAreRefused() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(null, dir, List.of("sources[0].name=\"../x\"")))
                .hasMessageContaining("sources[0].name");
        Path file = pipelineFile("p", "..");
        assertThatThrownBy(() -> ConfigLoader.load(file, dir, List.of()))
                .hasMessageContaining("pipelines[0].dag");
    }

    private Path pipelineFile(String name, String dag) throws Exception {
        Path file = dir.resolve("pipelines.yaml");
        Files.writeString(file, """
                pipelines:
                  - name: %s
                    source: retail
                    table: retail.customers
                    target: retail.customers
                %s""".formatted(yamlString(name), dag == null ? "" : "    dag: " + yamlString(dag) + "\n"));
        return file;
    }

    @Test
    void statusIsWrittenOftenEnoughForReadersToTellARunningPartFromAGoneOne() {
        assertThat(ConfigLoader.load(null, dir, List.of()).metrics().statusIntervalMs()).isEqualTo(2_000);
        assertThat(ConfigLoader.load(null, dir, List.of("metrics.statusIntervalMs=10000")).metrics().statusIntervalMs())
                .isEqualTo(10_000);
        assertThatThrownBy(() -> ConfigLoader.load(null, dir, List.of("metrics.statusIntervalMs=60000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("metrics.statusIntervalMs: must be from 1 to 10000");
    }

    @Test
    void theConsoleListensOnTheLoopbackPort8470UnlessToldOtherwise() {
        ConsoleConfig console = ConfigLoader.load(null, dir, List.of()).console();
        assertThat(console).isEqualTo(new ConsoleConfig(8470, "127.0.0.1", true));
        assertThat(ConfigLoader.load(null, dir, List.of("console.port=0", "console.enabled=false")).console())
                .isEqualTo(new ConsoleConfig(0, "127.0.0.1", false));
        assertThatThrownBy(() -> ConfigLoader.load(null, dir, List.of("console.port=70000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("console.port: must be a port number");
        assertThatThrownBy(() -> ConfigLoader.load(null, dir, List.of("console.bindAddress=a b")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("console.bindAddress");
    }

    @Test
    void credentialsOverPlainHttpAreRefusedUnlessAllowed() {
        List<String> insecure = List.of("airflow.baseUrl=http://airflow:8080", "airflow.username=admin", "airflow.password=pw");

        assertThatThrownBy(() -> ConfigLoader.load(null, dir, insecure))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("airflow.allowInsecureHttp")
                .hasMessageNotContaining("pw,");
        List<String> allowed = new java.util.ArrayList<>(insecure);
        allowed.add("airflow.allowInsecureHttp=true");
        assertThat(ConfigLoader.load(null, dir, allowed).airflow().allowInsecureHttp()).isTrue();
        assertThat(ConfigLoader.load(null, dir, List.of("airflow.baseUrl=https://airflow:8080", "airflow.token=t"))
                .airflow().configured()).isTrue();
        assertThat(ConfigLoader.load(null, dir, List.of("airflow.baseUrl=http://airflow:8080")).airflow().hasCredentials())
                .as("no credentials: plain http carries nothing secret").isFalse();
    }

    @Test
    void anUnreadableCaFileIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> ConfigLoader.load(null, dir, List.of("airflow.baseUrl=https://airflow",
                "airflow.caFile=" + dir.resolve("missing.pem"))))
                .hasMessageContaining("airflow.caFile");
    }

    @Test
    void newKeysHaveSafeDefaultsAndOldConstructorsStillWork() {
        LakeshiftConfig config = ConfigLoader.defaults(dir);

        assertThat(config.metrics().bindAddress()).isEqualTo("127.0.0.1");
        assertThat(config.kafka().retentionMs()).isEqualTo(-1);
        assertThat(config.airflow().allowInsecureHttp()).isFalse();
        assertThat(config.airflow().caFile()).isNull();
        assertThat(new MetricsConfig(9404, 1000).bindAddress()).isEqualTo("127.0.0.1");
        assertThat(new AirflowConfig("v2", "https://a", "u", Secret.of("p"), null, 1000, 1).allowInsecureHttp()).isFalse();
        assertThat(new KafkaConfig("b:9092", "p", 1, (short) 3, Map.of(), Map.of()).retentionMs()).isEqualTo(-1);
        assertThatThrownBy(() -> ConfigLoader.load(null, dir, List.of("kafka.retentionMs=0")))
                .hasMessageContaining("kafka.retentionMs");
    }

    @Test
    void topicsRequireTwoInSyncReplicasWhereThereAreTwo() {
        assertThat(new KafkaConfig("b", "p", 1, (short) 3, null, null, 86_400_000L).topicConfigs())
                .containsEntry("min.insync.replicas", "2")
                .containsEntry("retention.ms", "86400000");
        assertThat(new KafkaConfig("b", "p", 1, (short) 2, null, null).topicConfigs()).containsEntry("min.insync.replicas", "2");
        assertThat(new KafkaConfig("b", "p", 1, (short) 1, null, null).topicConfigs())
                .containsEntry("min.insync.replicas", "1")
                .containsEntry("retention.ms", "-1");
    }

    @Test
    void passThroughSettingsTakeEnvAndFileSecretsAndPrintMasked() throws Exception {
        Path jaas = dir.resolve("jaas.txt");
        Files.writeString(jaas, "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"s3cr3t\";\n");
        Path file = dir.resolve("lakeshift.yaml");
        Files.writeString(file, """
                kafka:
                  client:
                    sasl.jaas.config: file:%s
                    security.protocol: SASL_SSL
                    ssl.truststore.location: file:/etc/kafka/truststore.jks
                spark:
                  conf:
                    spark.eventLog.dir: file:/tmp/events
                    spark.hadoop.fs.s3a.secret.key: env:HOME
                catalog:
                  properties:
                    credential: client:topsecret
                sources:
                  - name: retail
                    kind: postgres
                    host: db
                    database: retail
                    username: u
                    password: env:HOME
                    tables: [retail.orders]
                    properties:
                      database.sslpassword: env:HOME
                """.formatted(jaas));

        LakeshiftConfig config = ConfigLoader.load(file, dir, List.of());

        String home = System.getenv("HOME");
        assertThat(config.kafka().client().get("sasl.jaas.config")).contains("s3cr3t");
        assertThat(config.kafka().client()).containsEntry("ssl.truststore.location", "file:/etc/kafka/truststore.jks");
        assertThat(config.spark().conf()).containsEntry("spark.eventLog.dir", "file:/tmp/events")
                .containsEntry("spark.hadoop.fs.s3a.secret.key", home);
        assertThat(config.sources().get(0).properties()).containsEntry("database.sslpassword", home);
        assertThat(config.toString()).doesNotContain("s3cr3t", "topsecret", home).contains(Secret.MASK, "SASL_SSL");
    }

    @Test
    void aMissingSecretFileIsReportedByKeyWithoutItsValue() throws Exception {
        Path file = dir.resolve("lakeshift.yaml");
        Files.writeString(file, """
                kafka:
                  client:
                    sasl.jaas.config: file:%s
                """.formatted(dir.resolve("nope")));

        assertThatThrownBy(() -> ConfigLoader.load(file, dir, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.client.sasl.jaas.config")
                .hasMessageContaining("cannot read secret file");
    }

    private static String yamlString(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
