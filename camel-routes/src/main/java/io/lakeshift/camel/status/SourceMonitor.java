package io.lakeshift.camel.status;

import io.lakeshift.core.status.ComponentStatus;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one running source has done so far: counters and facts that routes update and the status
 * writer publishes. Thread-safe.
 */
public final class SourceMonitor {

    public static final String STARTING = "STARTING";
    public static final String RUNNING = "RUNNING";
    public static final String FAILED = "FAILED";
    public static final String STOPPED = "STOPPED";

    private final String name;
    private final String kind;
    private final ConcurrentMap<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, String> details = new ConcurrentHashMap<>();
    private volatile String state = STARTING;

    public SourceMonitor(String name, String kind) {
        this.name = name;
        this.kind = kind;
    }

    public String kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    public void add(String counter, long delta) {
        counters.computeIfAbsent(counter, k -> new AtomicLong()).addAndGet(delta);
    }

    public long counter(String counter) {
        AtomicLong c = counters.get(counter);
        return c == null ? 0 : c.get();
    }

    public void detail(String key, String value) {
        if (value == null) {
            details.remove(key);
        } else {
            details.put(key, value);
        }
    }

    public void state(String newState) {
        this.state = newState;
    }

    public String state() {
        return state;
    }

    public ComponentStatus snapshot() {
        Map<String, Long> c = new TreeMap<>();
        counters.forEach((k, v) -> c.put(k, v.get()));
        return new ComponentStatus(name, kind, state, ProcessHandle.current().pid(), System.currentTimeMillis(), c,
                new TreeMap<>(details));
    }
}
