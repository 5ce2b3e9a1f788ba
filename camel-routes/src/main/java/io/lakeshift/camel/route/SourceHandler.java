package io.lakeshift.camel.route;

import org.apache.camel.Exchange;

/**
 * The per-source side of a route: what the route configurations' error handlers call back, found
 * through the exchange property {@link #PROPERTY} that the route's first step sets.
 */
public interface SourceHandler {

    String PROPERTY = "LakeshiftSourceHandler";

    /**
     * The exchange failed with an error that is not the input's fault (Kafka did not acknowledge, a
     * database or broker went away): nothing was committed, and the input will be read again.
     */
    void failed(Exchange exchange, Exception cause);

    /** The input cannot be read at all; the default treats it as any failure. */
    default void unreadable(Exchange exchange, Exception cause) {
        failed(exchange, cause);
    }
}
