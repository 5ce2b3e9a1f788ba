package io.lakeshift.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshift.core.envelope.Column;
import io.lakeshift.core.envelope.LogicalType;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/** The schema a lake table is created with, from declared columns. */
class TableBootstrapTest {

    private static final SourceTable ORDERS = SourceTable.of("Retail", "Orders", List.of(
            new Column("OrderId", LogicalType.INT64, false),
            new Column("Placed", LogicalType.TIME, true),
            new Column("Total", LogicalType.decimal(12, 2), true)), List.of("OrderId"));

    @Test
    void columnNamesAndKeyAreFoldedToLowerCase() {
        Schema schema = TableBootstrap.schemaFor(ORDERS, List.of(), true);

        assertThat(schema.columns()).extracting(Types.NestedField::name)
                .containsExactly("orderid", "placed", "total", LakeshiftColumns.SEQ_HI, LakeshiftColumns.SEQ_LO,
                        LakeshiftColumns.SOURCE_TS);
        assertThat(schema.identifierFieldNames()).containsExactly("orderid");
        assertThat(schema.findField("placed").type()).isEqualTo(Types.StringType.get());
        assertThat(schema.findField("total").type()).isEqualTo(Types.DecimalType.of(12, 2));
    }

    @Test
    void aDeclaredKeyIsFoldedToo() {
        Schema schema = TableBootstrap.schemaFor(ORDERS, List.of("OrderId", "Placed"), true);

        assertThat(schema.identifierFieldNames()).containsExactlyInAnyOrder("orderid", "placed");
        assertThat(schema.findField("placed").isRequired()).isTrue();
    }

    @Test
    void namesStayAsTheyAreWhenNotFolded() {
        Schema schema = TableBootstrap.schemaFor(ORDERS, List.of(), false);

        assertThat(schema.identifierFieldNames()).containsExactly("OrderId");
        assertThat(schema.findField("Total")).isNotNull();
    }

    @Test
    void twoColumnsFoldingToOneNameAreAClearError() {
        SourceTable clash = SourceTable.of("retail", "orders", List.of(new Column("id", LogicalType.INT64, false),
                new Column("Note", LogicalType.STRING, true), new Column("NOTE", LogicalType.STRING, true)), List.of("id"));

        assertThatThrownBy(() -> TableBootstrap.schemaFor(clash, List.of(), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Note' and 'NOTE'").hasMessageContaining("retail.orders").hasMessageContaining("'note'");
        assertThat(TableBootstrap.schemaFor(clash, List.of(), false).findField("NOTE")).isNotNull();
    }

    @Test
    void aKeylessTableIsIdentifiedByTheRowKeyColumn() {
        SourceTable log = SourceTable.of("app", "log", List.of(new Column("who", LogicalType.STRING, true),
                new Column("what", LogicalType.STRING, true)), List.of());

        Schema schema = TableBootstrap.schemaFor(log, List.of(), true);

        Types.NestedField rowKey = schema.findField(LakeshiftColumns.ROW_KEY);
        assertThat(rowKey.isRequired()).isTrue();
        assertThat(rowKey.type()).isEqualTo(Types.StringType.get());
        assertThat(schema.identifierFieldNames()).containsExactly(LakeshiftColumns.ROW_KEY);
        assertThat(LakeshiftColumns.isBookkeeping(LakeshiftColumns.ROW_KEY)).isTrue();
        assertThat(schema.columns()).extracting(Types.NestedField::fieldId).doesNotHaveDuplicates();
    }

    @Test
    void aDeclaredKeyOnAKeylessTableNeedsNoRowKey() {
        SourceTable stock = SourceTable.of("app", "stock", List.of(new Column("sku", LogicalType.STRING, true),
                new Column("qty", LogicalType.INT32, true)), List.of());

        Schema schema = TableBootstrap.schemaFor(stock, List.of("sku"), true);

        assertThat(schema.findField(LakeshiftColumns.ROW_KEY)).isNull();
        assertThat(schema.identifierFieldNames()).containsExactly("sku");
    }

    @Test
    void declaredColumnsKeepTheirTypesAndNullability() {
        assertThat(ORDERS.columns()).containsExactly(
                new SourceTable.SourceColumn("OrderId", LogicalType.INT64, false),
                new SourceTable.SourceColumn("Placed", LogicalType.TIME, true),
                new SourceTable.SourceColumn("Total", LogicalType.decimal(12, 2), true));
        assertThat(ORDERS.primaryKey()).containsExactly("OrderId");
    }
}
