package io.lakeshift.camel.file;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Endpoint;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.spi.EndpointStrategy;

/**
 * Points each file source's consumer endpoint at its drop folder as Camel creates it, before its
 * consumer exists: the endpoint URI carries only a marker path (see {@link DropFolder#endpointUri()}).
 * Registered once per Camel context.
 */
public final class DropEndpoints implements EndpointStrategy {

    private final Map<String, DropFolder> byMarker = new ConcurrentHashMap<>();

    /** Configures the consumer endpoint of {@code source} when it is created. */
    public void add(FileSource source) {
        DropFolder folder = source.folder();
        byMarker.put(folder.marker(), folder);
    }

    @Override
    public Endpoint registerEndpoint(String uri, Endpoint endpoint) {
        if (endpoint instanceof GenericFileEndpoint<?> file && file.getConfiguration() != null) {
            DropFolder folder = byMarker.get(file.getConfiguration().getDirectory());
            if (folder != null) {
                folder.configure(endpoint);
            }
        }
        return endpoint;
    }
}
