package io.lakeshift.lakehouse;

import io.lakeshift.core.config.PipelineConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.NullOrder;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.Term;
import org.apache.iceberg.expressions.UnboundTerm;
import org.apache.iceberg.types.Types;

/**
 * A table's partition spec and sort order as a pipeline declares them, in the transform syntax of
 * Iceberg's Spark DDL:
 *
 * <pre>
 * partitionBy: [days(order_date), bucket(16, customer_id)]   # also: col, identity(col), years(col),
 *                                                            # months(col), hours(col), truncate(10, col)
 * sortBy: [customer_id, placed_at DESC NULLS LAST]            # a column or transform, ASC|DESC, NULLS FIRST|LAST
 * </pre>
 *
 * Singular forms ({@code day(c)}, {@code year(c)}, ...) and {@code date(c)} are accepted too;
 * {@code bucket} and {@code truncate} take their width first or second.
 *
 * @param partitionBy partition fields in order
 * @param sortBy sort fields in order
 */
public record TableLayout(List<Field> partitionBy, List<SortField> sortBy) {

    /** No partitions, no sort order. */
    public static final TableLayout UNPARTITIONED = new TableLayout(List.of(), List.of());

    private static final Pattern TRANSFORM = Pattern.compile("(?i)^([a-z_]+)\\s*\\(\\s*([^,()]+?)\\s*(?:,\\s*([^,()]+?)\\s*)?\\)$");
    private static final Pattern IDENTIFIER = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
    private static final Pattern SORT = Pattern.compile(
            "(?i)^(.+?)(?:\\s+(ASC|DESC))?(?:\\s+NULLS\\s+(FIRST|LAST))?$");

    /** The transforms Lakeshift accepts. */
    public enum Transform { IDENTITY, YEAR, MONTH, DAY, HOUR, BUCKET, TRUNCATE }

    /**
     * One partition field or sort term: a transform of a source column.
     *
     * @param transform the transform
     * @param column the source column
     * @param width bucket count or truncate width, 0 for other transforms
     */
    public record Field(Transform transform, String column, int width) {

        /** The Iceberg term of this field, for sort orders and expressions. */
        public UnboundTerm<?> term() {
            return switch (transform) {
                case IDENTITY -> Expressions.ref(column);
                case YEAR -> Expressions.year(column);
                case MONTH -> Expressions.month(column);
                case DAY -> Expressions.day(column);
                case HOUR -> Expressions.hour(column);
                case BUCKET -> Expressions.bucket(column, width);
                case TRUNCATE -> Expressions.truncate(column, width);
            };
        }

        @Override
        public String toString() {
            return switch (transform) {
                case IDENTITY -> column;
                case YEAR -> "years(" + column + ")";
                case MONTH -> "months(" + column + ")";
                case DAY -> "days(" + column + ")";
                case HOUR -> "hours(" + column + ")";
                case BUCKET -> "bucket(" + width + ", " + column + ")";
                case TRUNCATE -> "truncate(" + width + ", " + column + ")";
            };
        }
    }

    /**
     * One sort field.
     *
     * @param field what to sort by
     * @param descending descending order
     * @param nullsFirst nulls first (the default for ascending), else last (the default for descending)
     */
    public record SortField(Field field, boolean descending, boolean nullsFirst) {

        @Override
        public String toString() {
            return field + (descending ? " DESC" : " ASC") + (nullsFirst ? " NULLS FIRST" : " NULLS LAST");
        }
    }

    public TableLayout {
        partitionBy = List.copyOf(partitionBy);
        sortBy = List.copyOf(sortBy);
    }

    /** The layout a pipeline declares ({@code partitionBy}, {@code sortBy}). */
    public static TableLayout of(PipelineConfig pipeline) {
        try {
            return parse(pipeline.partitionBy(), pipeline.sortBy());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pipeline " + pipeline.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses partition and sort declarations.
     *
     * @throws IllegalArgumentException naming the offending entry ({@code partitionBy[1]: ...})
     */
    public static TableLayout parse(List<String> partitionBy, List<String> sortBy) {
        List<Field> partitions = new ArrayList<>();
        for (int i = 0; i < partitionBy.size(); i++) {
            partitions.add(parseField("partitionBy[" + i + "]", partitionBy.get(i)));
        }
        List<SortField> sorts = new ArrayList<>();
        for (int i = 0; i < sortBy.size(); i++) {
            sorts.add(parseSort("sortBy[" + i + "]", sortBy.get(i)));
        }
        return new TableLayout(partitions, sorts);
    }

    static Field parseField(String key, String text) {
        String spec = text == null ? "" : text.strip();
        if (IDENTIFIER.matcher(spec).matches()) {
            return new Field(Transform.IDENTITY, spec, 0);
        }
        Matcher m = TRANSFORM.matcher(spec);
        if (!m.matches()) {
            throw new IllegalArgumentException(key + ": '" + text + "' is not a column or a transform such as days(col),"
                    + " bucket(16, col) or truncate(10, col)");
        }
        String name = m.group(1).toLowerCase(Locale.ROOT);
        String first = m.group(2);
        String second = m.group(3);
        Transform transform = switch (name) {
            case "identity" -> Transform.IDENTITY;
            case "years", "year" -> Transform.YEAR;
            case "months", "month" -> Transform.MONTH;
            case "days", "day", "date" -> Transform.DAY;
            case "hours", "hour", "date_hour" -> Transform.HOUR;
            case "bucket" -> Transform.BUCKET;
            case "truncate" -> Transform.TRUNCATE;
            default -> throw new IllegalArgumentException(key + ": unknown transform '" + m.group(1)
                    + "'; use identity, years, months, days, hours, bucket or truncate");
        };
        if (transform == Transform.BUCKET || transform == Transform.TRUNCATE) {
            if (second == null) {
                throw new IllegalArgumentException(key + ": " + name + " needs a width and a column, e.g. " + name + "(16, col)");
            }
            boolean widthFirst = isInteger(first);
            String width = widthFirst ? first : second;
            String column = widthFirst ? second : first;
            if (!isInteger(width) || Integer.parseInt(width) <= 0) {
                throw new IllegalArgumentException(key + ": " + name + " width must be a positive integer, got '" + width + "'");
            }
            return new Field(transform, column(key, column), Integer.parseInt(width));
        }
        if (second != null) {
            throw new IllegalArgumentException(key + ": " + name + " takes one column, got '" + text + "'");
        }
        return new Field(transform, column(key, first), 0);
    }

    static SortField parseSort(String key, String text) {
        Matcher m = SORT.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(key + ": '" + text + "' is not 'column [ASC|DESC] [NULLS FIRST|LAST]'");
        }
        Field field = parseField(key, m.group(1));
        boolean descending = m.group(2) != null && m.group(2).equalsIgnoreCase("DESC");
        boolean nullsFirst = m.group(3) == null ? !descending : m.group(3).equalsIgnoreCase("FIRST");
        return new SortField(field, descending, nullsFirst);
    }

    private static String column(String key, String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException(key + ": '" + name + "' is not a column name");
        }
        return name;
    }

    private static boolean isInteger(String s) {
        return s.matches("\\d+");
    }

    public boolean partitioned() {
        return !partitionBy.isEmpty();
    }

    public boolean sorted() {
        return !sortBy.isEmpty();
    }

    /**
     * The partition spec for {@code schema}.
     *
     * @throws IllegalArgumentException when a column is missing or a transform does not fit its type
     */
    public PartitionSpec spec(Schema schema) {
        PartitionSpec.Builder builder = PartitionSpec.builderFor(schema);
        for (int i = 0; i < partitionBy.size(); i++) {
            Field f = partitionBy.get(i);
            requireColumn(schema, "partitionBy[" + i + "]", f.column());
            try {
                // Built alone first: Iceberg checks a transform against its column's type only in build().
                addTo(PartitionSpec.builderFor(schema), f).build();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("partitionBy[" + i + "]: " + f + " does not apply to column "
                        + f.column() + " of type " + schema.findType(f.column()) + ": " + e.getMessage(), e);
            }
            addTo(builder, f);
        }
        return builder.build();
    }

    private static PartitionSpec.Builder addTo(PartitionSpec.Builder builder, Field f) {
        return switch (f.transform()) {
            case IDENTITY -> builder.identity(f.column());
            case YEAR -> builder.year(f.column());
            case MONTH -> builder.month(f.column());
            case DAY -> builder.day(f.column());
            case HOUR -> builder.hour(f.column());
            case BUCKET -> builder.bucket(f.column(), f.width());
            case TRUNCATE -> builder.truncate(f.column(), f.width());
        };
    }

    /** The sort order for {@code schema}; unsorted when no sort fields are declared. */
    public SortOrder sortOrder(Schema schema) {
        if (sortBy.isEmpty()) {
            return SortOrder.unsorted();
        }
        SortOrder.Builder builder = SortOrder.builderFor(schema);
        for (int i = 0; i < sortBy.size(); i++) {
            SortField s = sortBy.get(i);
            requireColumn(schema, "sortBy[" + i + "]", s.field().column());
            Term term = s.field().term();
            NullOrder nulls = s.nullsFirst() ? NullOrder.NULLS_FIRST : NullOrder.NULLS_LAST;
            try {
                if (s.descending()) {
                    builder.desc(term, nulls);
                } else {
                    builder.asc(term, nulls);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("sortBy[" + i + "]: " + s + ": " + e.getMessage(), e);
            }
        }
        return builder.build();
    }

    private static void requireColumn(Schema schema, String key, String column) {
        Types.NestedField field = schema.findField(column);
        if (field == null) {
            throw new IllegalArgumentException(key + ": the table has no column '" + column + "'");
        }
    }

    @Override
    public String toString() {
        return "partitionBy " + partitionBy + ", sortBy " + sortBy;
    }
}
