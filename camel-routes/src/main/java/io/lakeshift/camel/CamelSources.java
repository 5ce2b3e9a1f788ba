package io.lakeshift.camel;

import io.lakeshift.camel.config.FileSettings;
import io.lakeshift.camel.config.SourceSpec;
import io.lakeshift.camel.config.SourceSpecs;
import io.lakeshift.camel.file.DropEndpoints;
import io.lakeshift.camel.file.FileSource;
import io.lakeshift.camel.jdbc.JdbcSource;
import io.lakeshift.camel.jms.JmsSource;
import io.lakeshift.camel.kafka.KafkaSetup;
import io.lakeshift.camel.route.RouteFailures;
import io.lakeshift.camel.status.RouteMetrics;
import io.lakeshift.camel.status.SourceMonitor;
import io.lakeshift.camel.status.StatusReporter;
import io.lakeshift.core.config.KafkaConfig;
import io.lakeshift.core.config.LakeshiftConfig;
import io.lakeshift.core.config.MetricsConfig;
import io.lakeshift.core.metrics.MetricsEndpoint;
import io.lakeshift.kafka.TopicProvisioner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.engine.HashMapHeadersMapFactory;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every non-CDC source of a configuration ({@code kind: file}, {@code jdbc}, {@code jms}) as
 * Camel routes into Kafka, one route per source, created from the route templates in
 * {@value #ROUTES}. Each route writes the change envelope to {@code <prefix>.<source>.<schema>.<table>}
 * and records that do not fit the declared schema to the topic's {@code .dlq}; each commits its input
 * (file moved and fingerprint written down, watermark stored, JMS message acknowledged) only after
 * Kafka acknowledged what came of it.
 *
 * <p>State lives under {@code <dataDir>/camel/<source>/}; each source's status is written every
 * {@code metrics.statusIntervalMs} to {@code <dataDir>/status/sources/<source>.json}.
 * {@link #close()} stops gracefully: a file in flight is finished within the shutdown timeout, or
 * left to be read again from its start (same positions, which the sink drops as replays).
 */
public final class CamelSources implements AutoCloseable {

    /** The Camel YAML DSL resource holding the route configurations and templates. */
    public static final String ROUTES = "classpath:io/lakeshift/camel/lakeshift-routes.camel.yaml";
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(45);

    private static final Logger LOG = LoggerFactory.getLogger(CamelSources.class);

    private final CamelContext context;
    private final List<SourceSpec> specs;
    private final List<SourceMonitor> monitors = new ArrayList<>();
    private final StatusReporter statusReporter;
    /** {@code metrics.statusIntervalMs}. */
    private final long statusIntervalMs;
    private final DropEndpoints dropEndpoints = new DropEndpoints();
    private ScheduledExecutorService statusExecutor;
    private final MetricsConfig metricsConfig;
    private MetricsEndpoint metrics;

    private CamelSources(LakeshiftConfig config, List<SourceSpec> specs, Duration shutdownTimeout) throws Exception {
        this.specs = specs;
        this.context = new DefaultCamelContext();
        context.getCamelContextExtension().setName("lakeshift-sources");
        // exact-case headers: a file route creates a message per record, and case-insensitive lookups
        // cost as much as writing the record's envelope
        context.getCamelContextExtension().setHeadersMapFactory(new HashMapHeadersMapFactory());
        context.getShutdownStrategy().setTimeout(shutdownTimeout.toMillis());
        context.getShutdownStrategy().setTimeUnit(TimeUnit.MILLISECONDS);
        context.getShutdownStrategy().setShutdownNowOnTimeout(true);
        KafkaSetup.register(context, config.kafka());
        context.getCamelContextExtension().registerEndpointCallback(dropEndpoints);
        context.getRegistry().bind(RouteFailures.BEAN, new RouteFailures());
        Resource routes = PluginHelper.getResourceLoader(context).resolveResource(ROUTES);
        PluginHelper.getRoutesLoader(context).loadRoutes(routes);
        for (SourceSpec spec : specs) {
            addRoute(config, spec);
        }
        this.statusReporter = new StatusReporter(config.dataDir(), monitors);
        this.statusIntervalMs = config.metrics().statusIntervalMs();
        this.metricsConfig = config.metrics();
    }

    /**
     * Validates the non-CDC sources of {@code config} and builds their routes, not started yet.
     *
     * @param config the configuration; {@code kafka.bootstrapServers} must point at a running broker
     * @throws io.lakeshift.core.config.ConfigException naming every invalid setting
     */
    public static CamelSources create(LakeshiftConfig config, Duration shutdownTimeout) throws Exception {
        return new CamelSources(config, SourceSpecs.of(config), shutdownTimeout);
    }

    public static CamelSources create(LakeshiftConfig config) throws Exception {
        return create(config, DEFAULT_SHUTDOWN_TIMEOUT);
    }

    /** Creates missing topics, starts every route and the status writer. */
    public void start(KafkaConfig kafka) {
        List<String> topics = new ArrayList<>();
        for (SourceSpec spec : specs) {
            topics.add(spec.table().topic());
            topics.add(spec.table().deadLetterTopic());
        }
        if (!topics.isEmpty()) {
            try {
                TopicProvisioner.ensure(kafka, topics);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topics", e);
            }
        }
        context.start();
        monitors.forEach(m -> m.state(SourceMonitor.RUNNING));
        statusExecutor = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "lakeshift-status");
        statusExecutor.scheduleWithFixedDelay(statusReporter::writeAll, 0, statusIntervalMs, TimeUnit.MILLISECONDS);
        metrics = MetricsEndpoint.start(metricsConfig, "routes").readiness(() -> monitors.stream()
                .filter(m -> !SourceMonitor.RUNNING.equals(m.state()))
                .map(m -> "source " + m.name() + " is " + m.state()).toList());
        monitors.forEach(m -> RouteMetrics.bind(metrics.registry(), m));
        LOG.info("Started {} source route(s): {}", specs.size(), context.getRoutes().stream().map(r -> r.getRouteId()).toList());
    }

    /** Where the Prometheus endpoint listens ({@code metrics.prometheusPort}), or null when it is off. */
    public java.net.InetSocketAddress metricsAddress() {
        return metrics == null ? null : metrics.address();
    }

    /** The running Camel context, for tests and tools. */
    public CamelContext camelContext() {
        return context;
    }

    /** The validated sources this runs, in config order. */
    public List<SourceSpec> sources() {
        return specs;
    }

    /** The route id of a source. */
    public static String routeId(SourceSpec spec) {
        return spec.source().kind() + "-" + spec.name();
    }

    /** The monitor of a source, by name. */
    public SourceMonitor monitor(String source) {
        return monitors.stream().filter(m -> m.name().equals(source)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no source '" + source + "'"));
    }

    /** Stops gracefully, then records every source as stopped. */
    @Override
    public void close() {
        try {
            context.stop();
        } finally {
            if (statusExecutor != null) {
                context.getExecutorServiceManager().shutdown(statusExecutor);
            }
            monitors.forEach(m -> m.state(SourceMonitor.STOPPED));
            statusReporter.writeAll();
            if (metrics != null) {
                metrics.close();
            }
            LOG.info("Stopped source routes");
        }
    }

    private void addRoute(LakeshiftConfig config, SourceSpec spec) throws Exception {
        Path stateDir = config.dataDir().resolve("camel").resolve(spec.name());
        SourceMonitor monitor = new SourceMonitor(spec.name(), spec.source().kind());
        monitor.detail("table", spec.table().schema() + "." + spec.table().table());
        monitors.add(monitor);
        String routeId = routeId(spec);
        String clientId = "lakeshift-" + routeId;
        if (spec instanceof SourceSpec.File f) {
            FileSource handler = new FileSource(f, context, stateDir, monitor,
                    context.getExecutorServiceManager().newSingleThreadExecutor(this, "lakeshift-" + spec.name() + "-reader"));
            handler.processedFiles().start();
            String handlerName = spec.name() + "-handler";
            String repositoryName = spec.name() + "-processed-files";
            context.getRegistry().bind(handlerName, handler);
            context.getRegistry().bind(repositoryName, handler.processedFiles());
            String pollStrategyName = spec.name() + "-poll-strategy";
            context.getRegistry().bind(pollStrategyName, handler.pollStrategy());
            FileSettings s = f.settings();
            dropEndpoints.add(handler);
            TemplatedRouteBuilder route = TemplatedRouteBuilder.builder(context, "lakeshift-file-source")
                    .routeId(routeId)
                    .parameter("location", handler.endpointUri())
                    .parameter("handler", handlerName)
                    .parameter("repository", repositoryName)
                    .parameter("pollStrategy", pollStrategyName)
                    .parameter("topic", spec.table().topic())
                    .parameter("clientId", clientId)
                    .parameter("pollIntervalMs", s.pollIntervalMs())
                    .parameter("exclude", s.exclude());
            handler.endpointOptions().forEach(route::parameter);
            LOG.info("Source '{}': watching {}", spec.name(), handler.describeFolder());
            if (s.include() != null) {
                route.parameter("include", s.include());
            }
            if (FileSettings.PICKUP_DONE_MARKER.equals(s.pickup())) {
                route.parameter("doneFileName", "${file:name}" + s.doneMarkerSuffix());
            } else {
                long check = Math.max(100, Math.min(1000, s.stableForMs() / 4));
                route.parameter("readLock", "changed")
                        .parameter("readLockMinAge", s.stableForMs())
                        .parameter("readLockCheckInterval", check)
                        .parameter("readLockTimeout", s.stableForMs() + 4 * check + 1000);
            }
            route.add();
        } else if (spec instanceof SourceSpec.Jdbc j) {
            JdbcSource handler = new JdbcSource(j, context, stateDir, monitor);
            String handlerName = spec.name() + "-handler";
            context.getRegistry().bind(handlerName, handler);
            TemplatedRouteBuilder.builder(context, "lakeshift-jdbc-source")
                    .routeId(routeId)
                    .parameter("name", spec.name())
                    .parameter("handler", handlerName)
                    .parameter("topic", spec.table().topic())
                    .parameter("clientId", clientId)
                    .parameter("pollIntervalMs", j.settings().pollIntervalMs())
                    .add();
        } else if (spec instanceof SourceSpec.Jms m) {
            JmsSource handler = new JmsSource(m, context, stateDir, monitor);
            String handlerName = spec.name() + "-handler";
            String connectionFactoryName = spec.name() + "-connection-factory";
            context.getRegistry().bind(handlerName, handler);
            context.getRegistry().bind(connectionFactoryName, handler.connectionFactory());
            TemplatedRouteBuilder.builder(context, "lakeshift-jms-source")
                    .routeId(routeId)
                    .parameter("queue", m.settings().queue())
                    .parameter("connectionFactory", connectionFactoryName)
                    .parameter("concurrentConsumers", m.settings().concurrentConsumers())
                    .parameter("handler", handlerName)
                    .parameter("topic", spec.table().topic())
                    .parameter("clientId", clientId)
                    .add();
        }
    }
}
