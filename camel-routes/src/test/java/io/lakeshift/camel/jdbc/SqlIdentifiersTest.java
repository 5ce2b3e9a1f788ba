package io.lakeshift.camel.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlIdentifiersTest {

    @Test
    void quotesWithTheDatabasesQuoteAndDoublesItInside() {
        SqlIdentifiers ansi = new SqlIdentifiers("\"", "\\");
        assertThat(ansi.quote("a \"quoted\" col")).isEqualTo("\"a \"\"quoted\"\" col\"");
        assertThat(ansi.qualified("Weird Schema", "Order Lines")).isEqualTo("\"Weird Schema\".\"Order Lines\"");
        SqlIdentifiers mysql = new SqlIdentifiers("`", "\\");
        assertThat(mysql.quote("or`der")).isEqualTo("`or``der`");
    }

    @Test
    void aBlankQuoteStringMeansTheDatabaseDoesNotQuote() {
        assertThat(new SqlIdentifiers(" ", null).quote("items")).isEqualTo("items");
    }

    @Test
    void patternsMatchOnlyTheNameItself() {
        SqlIdentifiers ids = new SqlIdentifiers("\"", "\\");
        assertThat(ids.pattern("order_lines%")).isEqualTo("order\\_lines\\%");
        assertThat(ids.pattern("a\\b")).isEqualTo("a\\\\b");
    }
}
