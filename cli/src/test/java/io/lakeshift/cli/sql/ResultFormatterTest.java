package io.lakeshift.cli.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshift.batch.SqlRunner.QueryResult;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultFormatterTest {

    private static final QueryResult RESULT = new QueryResult(List.of("customer_id", "name", "revenue"), List.of(
            List.of("1", "Zoë, \"the\" first", "12.30"),
            Arrays.asList("22", null, "1234567.89")));

    @Test
    void tableIsAlignedAndShowsNulls() {
        assertThat(ResultFormatter.format(RESULT, ResultFormatter.Format.TABLE)).isEqualTo("""
                customer_id | name             | revenue
                ------------+------------------+-----------
                1           | Zoë, "the" first | 12.30
                22          | NULL             | 1234567.89
                (2 rows)
                """);
    }

    @Test
    void csvQuotesWhatNeedsQuotingAndLeavesNullsEmpty() {
        assertThat(ResultFormatter.format(RESULT, ResultFormatter.Format.CSV)).isEqualTo("""
                customer_id,name,revenue
                1,"Zoë, ""the"" first",12.30
                22,,1234567.89
                """);
    }

    @Test
    void jsonIsAnArrayOfObjects() {
        assertThat(ResultFormatter.format(RESULT, ResultFormatter.Format.JSON))
                .contains("\"name\" : \"Zoë, \\\"the\\\" first\"", "\"name\" : null", "\"revenue\" : \"1234567.89\"")
                .startsWith("[ {");
    }

    @Test
    void jsonKeepsTypes() {
        QueryResult typed = new QueryResult(List.of("id", "amount", "paid", "at", "note"),
                List.of(List.of("7", "12.30", "true", "2024-05-01T10:00:00Z", "x")),
                List.of(Arrays.asList(7L, new java.math.BigDecimal("12.30"), true, "2024-05-01T10:00:00Z", null)));

        assertThat(ResultFormatter.format(typed, ResultFormatter.Format.JSON))
                .contains("\"id\" : 7,", "\"amount\" : 12.30,", "\"paid\" : true,", "\"at\" : \"2024-05-01T10:00:00Z\"",
                        "\"note\" : null");
    }
}
