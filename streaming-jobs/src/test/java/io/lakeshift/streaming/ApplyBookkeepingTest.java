package io.lakeshift.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshift.core.envelope.LogicalType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** What the apply job records and reads back to decide what a batch still has to write. */
class ApplyBookkeepingTest {

    @Test
    void committedOffsetsRoundTripAndOnlyRise() {
        CommittedOffsets held = CommittedOffsets.parse("it.a-b.t-0:41,it.a-b.t-1:7");

        assertThat(held.committed("it.a-b.t", 0)).isEqualTo(41);
        assertThat(held.committed("it.a-b.t", 2)).isEqualTo(-1);
        CommittedOffsets after = held.after(Map.of("it.a-b.t-0", 50L, "it.a-b.t-1", 3L, "it.a-b.t-2", 0L));
        assertThat(after.toString()).isEqualTo("it.a-b.t-0:50,it.a-b.t-1:7,it.a-b.t-2:0");
        assertThat(CommittedOffsets.parse(after.toString()).asMap()).isEqualTo(after.asMap());
        assertThat(CommittedOffsets.parse("").isEmpty()).isTrue();
        assertThatThrownBy(() -> CommittedOffsets.parse("no-offset")).hasMessageContaining("topic-partition:offset");
    }

    @Test
    void whereANewQueryStartsIsTheLowestOffsetEveryTableHolds() {
        CommittedOffsets changelog = CommittedOffsets.parse("t-0:20,t-1:5");
        CommittedOffsets table = CommittedOffsets.parse("t-0:18");

        CommittedOffsets both = changelog.lowest(table);

        assertThat(both.committed("t", 0)).isEqualTo(18);
        assertThat(both.committed("t", 1)).as("a partition one table holds nothing of is read from its start").isEqualTo(-1);
        TopicPartition tp = new TopicPartition("t", 0);
        assertThat(StartingOffsets.next("p", tp, -1, 0, 10)).isEqualTo(-2);
        assertThat(StartingOffsets.next("p", tp, 18, 5, 30)).isEqualTo(19);
        assertThat(StartingOffsets.next("p", tp, 18, 19, 30)).isEqualTo(19);
        assertThatThrownBy(() -> StartingOffsets.next("p", tp, 18, 25, 30))
                .isInstanceOf(StartingOffsets.DataLossException.class)
                .hasMessageContaining("pipeline p").hasMessageContaining("up to offset 18").hasMessageContaining("starts at offset 25");
        assertThatThrownBy(() -> StartingOffsets.next("p", tp, 18, 0, 10)).hasMessageContaining("ends at offset 10");
    }

    @Test
    void aBatchIsTrimmedToTheRecordsATableDoesNotHold() {
        BatchRanges.Builder builder = new BatchRanges.Builder("t");
        builder.add(0, 10, 19);
        builder.add(1, 5, 6);
        builder.add(0, 8, 12);
        BatchRanges ranges = builder.build();

        assertThat(ranges.highest()).isEqualTo(Map.of("t-0", 19L, "t-1", 6L));
        assertThat(ranges.noneIn(CommittedOffsets.parse("t-0:7"))).isTrue();
        assertThat(ranges.noneIn(CommittedOffsets.parse("t-0:8"))).isFalse();
        assertThat(ranges.allIn(CommittedOffsets.parse("t-0:19,t-1:6"))).isTrue();
        assertThat(ranges.allIn(CommittedOffsets.parse("t-0:19"))).isFalse();
        assertThat(ranges.allIn(CommittedOffsets.parse("u-0:100"))).isFalse();
        assertThat(ranges.sameRemainder(CommittedOffsets.parse("t-0:3"), CommittedOffsets.NONE)).isTrue();
        assertThat(ranges.sameRemainder(CommittedOffsets.parse("t-0:30,t-1:9"), CommittedOffsets.parse("t-0:19,t-1:6"))).isTrue();
        assertThat(ranges.sameRemainder(CommittedOffsets.parse("t-0:12"), CommittedOffsets.parse("t-0:19"))).isFalse();
    }

    @Test
    void requiredColumnsEventsCarryAsNullBecomeOptionalButTheKeyStaysRequired() {
        Schema schema = new Schema(List.of(Types.NestedField.required(1, "id", Types.LongType.get()),
                Types.NestedField.required(2, "price", Types.DecimalType.of(12, 2)),
                Types.NestedField.optional(3, "label", Types.StringType.get())), Set.of(1));

        SchemaEvolution.Plan plan = SchemaEvolution.plan("p", "t", schema, List.of(), Set.of("price", "id", "label", "gone"), false);

        assertThat(plan.optional()).containsExactly("price");
        assertThat(plan.add()).isEmpty();
    }

    @Test
    void aLowerCasedTableTakesEventColumnsWhateverTheirCase() {
        Schema schema = new Schema(List.of(Types.NestedField.required(1, "customerid", Types.LongType.get())), Set.of(1));
        List<Map.Entry<String, LogicalType>> incoming = List.of(Map.entry("CustomerId", LogicalType.INT64),
                Map.entry("FullName", LogicalType.STRING));

        assertThat(SchemaEvolution.plan("p", "t", schema, incoming, Set.of(), true).add()).containsOnlyKeys("fullname");
        assertThat(SchemaEvolution.plan("p", "t", schema, incoming, Set.of(), false).add()).containsOnlyKeys("CustomerId", "FullName");

        EnvelopeParser folding = new EnvelopeParser(List.of("customerid", "fullname"), true);
        org.apache.spark.sql.Row row = folding.call("{\"op\":\"c\",\"after\":{\"CustomerId\":7,\"FullName\":\"Ada\"}}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(row.getStruct(2).getString(0)).isEqualTo("7");
        assertThat(row.getStruct(2).getString(1)).isEqualTo("Ada");
        org.apache.spark.sql.Row exact = new EnvelopeParser(List.of("customerid"), false)
                .call("{\"op\":\"c\",\"after\":{\"CustomerId\":7}}".getBytes(StandardCharsets.UTF_8));
        assertThat(exact.getStruct(2).isNullAt(0)).isTrue();
    }
}
