package io.lakeshift.benchmarks;

import io.lakeshift.runtime.Part;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The parts {@code bench chaos} may kill, from {@code --victims}: a subset of the broker, the ingestion
 * service and the apply job, so a crash of one part can be checked on its own.
 */
final class ChaosVictims {

    static final String BROKER = "broker";
    static final String INGEST = "ingest";
    static final String APPLY = "apply";
    static final List<String> ALL = List.of(BROKER, INGEST, APPLY);

    private final Set<String> names;

    private ChaosVictims(Set<String> names) {
        this.names = names;
    }

    /**
     * @param values the option's values (comma-separated or repeated), e.g. {@code [ingest, apply]}
     * @throws IllegalArgumentException naming {@code --victims} and the parts it accepts
     */
    static ChaosVictims parse(List<String> values) {
        Set<String> names = new LinkedHashSet<>();
        for (String value : values) {
            String name = value.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (!ALL.contains(name)) {
                throw new IllegalArgumentException("--victims: unknown part '" + value.strip() + "'; choose among "
                        + String.join(", ", ALL) + " (comma-separated)");
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("--victims names no part; choose among " + String.join(", ", ALL));
        }
        return new ChaosVictims(names);
    }

    /** The parts of {@code parts} that may be killed (by name), in their order. */
    List<Part> of(List<Part> parts) {
        List<Part> victims = new ArrayList<>();
        for (Part part : parts) {
            if (names.contains(part.name())) {
                victims.add(part);
            }
        }
        return victims;
    }

    @Override
    public String toString() {
        return String.join(",", names);
    }
}
