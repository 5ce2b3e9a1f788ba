package io.lakeshift.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshift.core.config.PipelineConfig;
import java.util.List;
import org.apache.iceberg.NullOrder;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortDirection;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/** Partition spec and sort order from a pipeline's YAML. */
class TableLayoutTest {

    private static final Schema ORDERS = new Schema(
            Types.NestedField.required(1, "order_id", Types.LongType.get()),
            Types.NestedField.required(2, "customer_id", Types.LongType.get()),
            Types.NestedField.required(3, "order_date", Types.DateType.get()),
            Types.NestedField.optional(4, "placed_at", Types.TimestampType.withZone()),
            Types.NestedField.optional(5, "status", Types.StringType.get()),
            Types.NestedField.optional(6, "total", Types.DecimalType.of(12, 2)));

    @Test
    void parsesEveryTransformInSparkDdlSyntax() {
        TableLayout layout = TableLayout.parse(List.of("days(order_date)", "bucket(16, customer_id)", "status",
                "identity(order_id)", "truncate(4, status)", "hours(placed_at)", "months(order_date)", "years(order_date)"),
                List.of());

        assertThat(layout.partitionBy()).extracting(Object::toString).containsExactly("days(order_date)",
                "bucket(16, customer_id)", "status", "order_id", "truncate(4, status)", "hours(placed_at)",
                "months(order_date)", "years(order_date)");
    }

    @Test
    void acceptsSingularNamesAndWidthSecond() {
        TableLayout layout = TableLayout.parse(List.of("day(order_date)", "bucket(customer_id, 8)", "TRUNCATE(status, 2)",
                "date(placed_at)"), List.of());

        assertThat(layout.partitionBy()).containsExactly(
                new TableLayout.Field(TableLayout.Transform.DAY, "order_date", 0),
                new TableLayout.Field(TableLayout.Transform.BUCKET, "customer_id", 8),
                new TableLayout.Field(TableLayout.Transform.TRUNCATE, "status", 2),
                new TableLayout.Field(TableLayout.Transform.DAY, "placed_at", 0));
    }

    @Test
    void buildsThePartitionSpec() {
        PartitionSpec spec = TableLayout.parse(List.of("days(order_date)", "bucket(16, customer_id)"), List.of()).spec(ORDERS);

        PartitionSpec expected = PartitionSpec.builderFor(ORDERS).day("order_date").bucket("customer_id", 16).build();
        assertThat(spec.compatibleWith(expected)).isTrue();
        assertThat(spec.fields()).hasSize(2);
    }

    @Test
    void buildsTheSortOrderWithDirectionsAndNullOrder() {
        SortOrder order = TableLayout.parse(List.of(), List.of("customer_id", "placed_at DESC", "status asc nulls last",
                "days(order_date) DESC NULLS FIRST")).sortOrder(ORDERS);

        assertThat(order.fields()).hasSize(4);
        assertThat(order.fields().get(0).direction()).isEqualTo(SortDirection.ASC);
        assertThat(order.fields().get(0).nullOrder()).isEqualTo(NullOrder.NULLS_FIRST);
        assertThat(order.fields().get(1).direction()).isEqualTo(SortDirection.DESC);
        assertThat(order.fields().get(1).nullOrder()).isEqualTo(NullOrder.NULLS_LAST);
        assertThat(order.fields().get(2).nullOrder()).isEqualTo(NullOrder.NULLS_LAST);
        assertThat(order.fields().get(3).transform().toString()).isEqualTo("day");
        assertThat(order.fields().get(3).nullOrder()).isEqualTo(NullOrder.NULLS_FIRST);
    }

    @Test
    void emptyDeclarationsAreUnpartitionedAndUnsorted() {
        TableLayout layout = TableLayout.parse(List.of(), List.of());

        assertThat(layout.partitioned()).isFalse();
        assertThat(layout.spec(ORDERS).isUnpartitioned()).isTrue();
        assertThat(layout.sortOrder(ORDERS).isUnsorted()).isTrue();
    }

    @Test
    void comesFromThePipeline() {
        PipelineConfig pipeline = new PipelineConfig("retail.orders", "retail", "retail.orders", "retail.orders", List.of(),
                "STREAMING", null, null, null, List.of("days(order_date)"), List.of("customer_id"), null);

        TableLayout layout = TableLayout.of(pipeline);

        assertThat(layout.partitionBy()).extracting(Object::toString).containsExactly("days(order_date)");
        assertThat(layout.sortBy()).extracting(Object::toString).containsExactly("customer_id ASC NULLS FIRST");
    }

    @Test
    void errorsNameTheEntryAndTheProblem() {
        assertThatThrownBy(() -> TableLayout.parse(List.of("days(order_date)", "weeks(order_date)"), List.of()))
                .hasMessageContaining("partitionBy[1]").hasMessageContaining("unknown transform 'weeks'");
        assertThatThrownBy(() -> TableLayout.parse(List.of("bucket(customer_id)"), List.of()))
                .hasMessageContaining("partitionBy[0]").hasMessageContaining("needs a width");
        assertThatThrownBy(() -> TableLayout.parse(List.of("bucket(0, customer_id)"), List.of()))
                .hasMessageContaining("positive integer");
        assertThatThrownBy(() -> TableLayout.parse(List.of("days(order_date"), List.of()))
                .hasMessageContaining("is not a column or a transform");
        assertThatThrownBy(() -> TableLayout.parse(List.of(), List.of("customer_id SIDEWAYS")))
                .hasMessageContaining("sortBy[0]");
        assertThatThrownBy(() -> TableLayout.parse(List.of("days(nope)"), List.of()).spec(ORDERS))
                .hasMessageContaining("partitionBy[0]").hasMessageContaining("no column 'nope'");
        assertThatThrownBy(() -> TableLayout.parse(List.of("days(status)"), List.of()).spec(ORDERS))
                .hasMessageContaining("partitionBy[0]").hasMessageContaining("does not apply to column status");
        PipelineConfig bad = new PipelineConfig("retail.orders", "retail", "retail.orders", "retail.orders", List.of(),
                "STREAMING", null, null, null, List.of("week(order_date)"), List.of(), null);
        assertThatThrownBy(() -> TableLayout.of(bad)).hasMessageStartingWith("pipeline retail.orders: partitionBy[0]");
    }
}
