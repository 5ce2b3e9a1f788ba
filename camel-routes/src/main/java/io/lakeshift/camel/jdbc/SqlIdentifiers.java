package io.lakeshift.camel.jdbc;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;

/**
 * Identifiers quoted the database's own way ({@link DatabaseMetaData#getIdentifierQuoteString}, the
 * quote character doubled inside), so that any name the database accepts (mixed case, reserved
 * words, spaces, quotes) can be queried; and names escaped for metadata search patterns.
 */
final class SqlIdentifiers {

    private final String quote;
    private final String searchEscape;

    SqlIdentifiers(String quote, String searchEscape) {
        // a blank quote string is JDBC's way of saying the database does not quote identifiers
        this.quote = quote == null || quote.isBlank() ? "" : quote.strip();
        this.searchEscape = searchEscape == null ? "" : searchEscape;
    }

    static SqlIdentifiers of(DatabaseMetaData meta) throws SQLException {
        return new SqlIdentifiers(meta.getIdentifierQuoteString(), meta.getSearchStringEscape());
    }

    /** The identifier as the database reads it back exactly. */
    String quote(String identifier) {
        if (quote.isEmpty()) {
            return identifier;
        }
        return quote + identifier.replace(quote, quote + quote) + quote;
    }

    /** {@code "schema"."table"}. */
    String qualified(String schema, String table) {
        return schema == null || schema.isEmpty() ? quote(table) : quote(schema) + "." + quote(table);
    }

    /** A name as a metadata search pattern that matches only itself ({@code _} and {@code %} escaped). */
    String pattern(String name) {
        if (searchEscape.isEmpty()) {
            return name;
        }
        StringBuilder sb = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '_' || c == '%' || searchEscape.indexOf(c) >= 0) {
                sb.append(searchEscape);
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
