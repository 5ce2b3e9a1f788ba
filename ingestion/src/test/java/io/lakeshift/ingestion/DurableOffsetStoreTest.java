package io.lakeshift.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.debezium.embedded.EmbeddedWorkerConfig;
import io.lakeshift.core.io.AtomicFiles;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.FileOffsetBackingStore;
import org.apache.kafka.connect.storage.OffsetBackingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableOffsetStoreTest {

    private static final ByteBuffer KEY = utf8("[\"lakeshift-shop\",{\"server\":\"it.shop\"}]");
    private static final ByteBuffer VALUE = utf8("{\"lsn\":24023128,\"txId\":555,\"ts_usec\":1733540000000000}");

    @TempDir
    Path dir;

    @Test
    void storesOffsetsAtomicallyAndReadsThemBack() throws Exception {
        Path file = dir.resolve("shop.offsets");
        DurableOffsetStore store = started(file);
        assertThat(store.get(List.of(KEY)).get(5, TimeUnit.SECONDS)).containsEntry(KEY, null);
        store.set(Map.of(KEY, VALUE), null).get(5, TimeUnit.SECONDS);
        store.stop();

        assertThat(file).exists();
        assertThat(AtomicFiles.tempFileOf(file)).doesNotExist();
        DurableOffsetStore again = started(file);
        assertThat(again.get(List.of(KEY)).get(5, TimeUnit.SECONDS)).containsEntry(KEY, VALUE);
        assertThat(again.connectorPartitions("lakeshift-shop")).containsExactly(Map.of("server", "it.shop"));
        assertThat(again.connectorPartitions("other")).isEmpty();
        again.stop();
    }

    @Test
    void aFolderThatDoesNotExistYetIsCreatedOwnerOnly() throws Exception {
        Path file = dir.resolve("bare1/offsets/bare1.offsets");
        DurableOffsetStore store = started(file);
        store.set(Map.of(KEY, VALUE), null).get(5, TimeUnit.SECONDS);
        store.stop();

        assertThat(file).exists();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void readsAndWritesTheFormatOfKafkaConnectsFileStore() throws Exception {
        Path file = dir.resolve("upgraded.offsets");
        OffsetBackingStore kafkas = kafkaFileStore(file);
        kafkas.set(Map.of(KEY, VALUE), null).get(5, TimeUnit.SECONDS);
        kafkas.stop();

        DurableOffsetStore ours = started(file);
        assertThat(ours.get(List.of(KEY)).get(5, TimeUnit.SECONDS)).containsEntry(KEY, VALUE);
        ByteBuffer newer = utf8("{\"lsn\":24023999}");
        ours.set(Map.of(KEY, newer), null).get(5, TimeUnit.SECONDS);
        ours.stop();

        OffsetBackingStore back = kafkaFileStore(file);
        assertThat(back.get(List.of(KEY)).get(5, TimeUnit.SECONDS)).containsEntry(KEY, newer);
        back.stop();
    }

    @Test
    void aTruncatedFileStopsTheStoreNamingTheFile() throws Exception {
        Path file = dir.resolve("cut.offsets");
        byte[] whole = DurableOffsetStore.serialize(Map.of(KEY, VALUE));
        Files.write(file, Arrays.copyOf(whole, whole.length / 2));

        assertThatThrownBy(() -> started(file)).isInstanceOf(UnreadableOffsetsException.class)
                .hasMessageContaining("offsets file " + file + " is truncated or corrupt")
                .hasMessageContaining("Restore the file from a backup")
                .hasMessageContaining("lakeshift sources drop");
    }

    @Test
    void anEmptyFileStopsTheStoreRatherThanStartingOver() throws Exception {
        Path file = dir.resolve("empty.offsets");
        Files.createFile(file);

        assertThatThrownBy(() -> started(file)).isInstanceOf(UnreadableOffsetsException.class)
                .hasMessageContaining("offsets file " + file + " is empty");
    }

    @Test
    void aFileHoldingSomethingElseIsRefused() throws Exception {
        Path file = dir.resolve("garbage.offsets");
        Files.writeString(file, "{\"not\": \"offsets\"}");

        assertThatThrownBy(() -> started(file)).isInstanceOf(UnreadableOffsetsException.class)
                .hasMessageContaining(file.toString());
    }

    private static DurableOffsetStore started(Path file) {
        DurableOffsetStore store = new DurableOffsetStore();
        store.configure(workerConfig(file));
        store.start();
        return store;
    }

    private static OffsetBackingStore kafkaFileStore(Path file) {
        JsonConverter keys = new JsonConverter();
        keys.configure(Map.of("schemas.enable", "false"), true);
        FileOffsetBackingStore store = new FileOffsetBackingStore(keys);
        store.configure(workerConfig(file));
        store.start();
        return store;
    }

    private static WorkerConfig workerConfig(Path file) {
        Map<String, String> props = new HashMap<>();
        props.put(DurableOffsetStore.FILE_SETTING, file.toString());
        return new EmbeddedWorkerConfig(props);
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }
}
