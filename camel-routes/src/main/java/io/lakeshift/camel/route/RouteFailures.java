package io.lakeshift.camel.route;

import java.util.Optional;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The error handling of every Lakeshift route configuration (see {@code lakeshift-routes.camel.yaml}):
 * hands the caught exception to the route's {@link SourceHandler}. Registered once as
 * {@value #BEAN}.
 */
public final class RouteFailures {

    public static final String BEAN = "lakeshiftRouteFailures";

    private static final Logger LOG = LoggerFactory.getLogger(RouteFailures.class);

    /** An input that cannot be read at all. */
    public void unreadable(Exchange exchange) {
        handler(exchange).ifPresentOrElse(h -> h.unreadable(exchange, cause(exchange)),
                () -> LOG.error("Unreadable input on route {}", exchange.getFromRouteId(), cause(exchange)));
    }

    /** Any other failure: the input is left to be read again. */
    public void failed(Exchange exchange) {
        handler(exchange).ifPresentOrElse(h -> h.failed(exchange, cause(exchange)),
                () -> LOG.error("Route {} failed", exchange.getFromRouteId(), cause(exchange)));
    }

    private static Optional<SourceHandler> handler(Exchange exchange) {
        return Optional.ofNullable(exchange.getProperty(SourceHandler.PROPERTY, SourceHandler.class));
    }

    private static Exception cause(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        return caught != null ? caught : exchange.getException();
    }
}
