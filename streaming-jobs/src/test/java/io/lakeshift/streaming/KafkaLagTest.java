package io.lakeshift.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaLagTest {

    @Test
    void newestMinusReadUpToPerPartition() {
        assertThat(KafkaLag.between("{\"lakeshift.retail.retail.orders\":{\"0\":2378,\"1\":40}}",
                "{\"lakeshift.retail.retail.orders\":{\"0\":2358,\"1\":40}}")).isEqualTo(Map.of(0, 20L, 1, 0L));
    }

    @Test
    void nothingToSayWithoutBothOffsets() {
        assertThat(KafkaLag.between(null, "{\"t\":{\"0\":1}}")).isEmpty();
        assertThat(KafkaLag.between("{\"t\":{\"0\":5}}", null)).isEmpty();
        assertThat(KafkaLag.between("not json", "{\"t\":{\"0\":1}}")).isEmpty();
        assertThat(KafkaLag.between("{\"t\":{\"0\":5,\"1\":7}}", "{\"t\":{\"0\":5}}")).as("a partition not read yet")
                .isEqualTo(Map.of(0, 0L));
    }
}
