package io.lakeshift.migration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshift.core.config.ConfigException;
import io.lakeshift.core.json.Json;
import io.lakeshift.core.time.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads and validates playbooks: one YAML file per pipeline in a folder, or the ones this module
 * ships (its {@code playbooks} folder, bundled as resources). Every problem names its file and key.
 */
public final class Playbooks {

    /** The playbooks bundled in this jar, for the demo pipelines. */
    public static final List<String> BUNDLED = List.of("retail.customers.yaml", "retail.orders.yaml", "retail.order_lines.yaml");
    private static final String BUNDLE_PATH = "/io/lakeshift/migration/playbooks/";
    private static final ObjectMapper YAML = Json.yaml();
    private static final Set<String> TOP_KEYS = Set.of("pipeline", "dag", "schedule", "batch", "shadow", "gates");
    private static final Set<String> GATE_KEYS = Set.of("consecutiveCleanReconciliations", "maxMismatchRatio",
            "maxFreshnessLag", "minTimeInStage");

    private final Map<String, Playbook> byPipeline;

    private Playbooks(Map<String, Playbook> byPipeline) {
        this.byPipeline = Map.copyOf(byPipeline);
    }

    /** Every {@code *.yaml} / {@code *.yml} file of a folder. */
    public static Playbooks load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("--playbooks", "'" + dir + "' is not a folder");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list playbooks in " + dir, e);
        }
        Map<String, String> texts = new LinkedHashMap<>();
        for (Path f : files) {
            try {
                texts.put(f.toString(), Files.readString(f));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read playbook " + f, e);
            }
        }
        return parseAll(texts);
    }

    /** The playbooks this module ships. */
    public static Playbooks bundled() {
        Map<String, String> texts = new LinkedHashMap<>();
        for (String name : BUNDLED) {
            try (InputStream in = Playbooks.class.getResourceAsStream(BUNDLE_PATH + name)) {
                if (in == null) {
                    throw new IllegalStateException("bundled playbook " + name + " is missing from the jar");
                }
                texts.put(name, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return parseAll(texts);
    }

    /** One playbook text, as a file named {@code source} would be read. */
    public static Playbook parseText(String source, String text) {
        return parseAll(Map.of(source, text)).all().get(0);
    }

    /** Parses playbook texts by their file name; every problem of every file is reported at once. */
    static Playbooks parseAll(Map<String, String> texts) {
        List<String> problems = new ArrayList<>();
        Map<String, Playbook> all = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : texts.entrySet()) {
            Playbook p = parse(e.getKey(), e.getValue(), problems);
            if (p != null) {
                Playbook previous = all.putIfAbsent(p.pipeline(), p);
                if (previous != null) {
                    problems.add(e.getKey() + ": pipeline: '" + p.pipeline() + "' already has a playbook in " + previous.source());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Playbooks(all);
    }

    /** One playbook; problems are added to {@code problems}, prefixed with {@code source}. */
    static Playbook parse(String source, String text, List<String> problems) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (IOException e) {
            problems.add(source + ": not valid YAML: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
            return null;
        }
        if (root == null || !root.isObject()) {
            problems.add(source + ": must be a YAML mapping with pipeline, dag, schedule, gates");
            return null;
        }
        int before = problems.size();
        unknownKeys(source, "", root, TOP_KEYS, problems);
        String pipeline = requiredText(source, root, "pipeline", problems);
        String dag = requiredText(source, root, "dag", problems);
        String schedule = requiredText(source, root, "schedule", problems);
        String positionProperty = null;
        JsonNode batch = root.path("batch");
        if (!batch.isMissingNode()) {
            unknownKeys(source, "batch.", batch, Set.of("positionProperty"), problems);
            positionProperty = optionalText(source, batch, "batch.", "positionProperty", problems);
        }
        String shadowTable = null;
        JsonNode shadow = root.path("shadow");
        if (!shadow.isMissingNode()) {
            unknownKeys(source, "shadow.", shadow, Set.of("table"), problems);
            shadowTable = optionalText(source, shadow, "shadow.", "table", problems);
            if (shadowTable != null && shadowTable.indexOf('.') <= 0) {
                problems.add(source + ": shadow.table: must be namespace.table, got '" + shadowTable + "'");
            }
        }
        Map<Stage, Gates> gates = new EnumMap<>(Stage.class);
        JsonNode gatesNode = root.path("gates");
        if (!gatesNode.isMissingNode()) {
            if (!gatesNode.isObject()) {
                problems.add(source + ": gates: must map SHADOW, INCREMENTAL and STREAMING to their gates");
            } else {
                for (Iterator<Map.Entry<String, JsonNode>> it = gatesNode.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> g = it.next();
                    Stage stage = Stage.parse(g.getKey());
                    if (stage == null || stage == Stage.BATCH) {
                        problems.add(source + ": gates." + g.getKey() + ": not a stage one can enter;"
                                + " gates are keyed by the stage they guard: SHADOW, INCREMENTAL, STREAMING");
                        continue;
                    }
                    Gates parsed = gates(source, "gates." + g.getKey() + ".", g.getValue(), problems);
                    if (parsed != null) {
                        gates.put(stage, parsed);
                    }
                }
            }
        }
        return problems.size() > before ? null
                : new Playbook(pipeline, dag, schedule, positionProperty, shadowTable, gates, source);
    }

    private static Gates gates(String source, String prefix, JsonNode node, List<String> problems) {
        if (!node.isObject()) {
            problems.add(source + ": " + prefix.substring(0, prefix.length() - 1) + ": must be a mapping of "
                    + String.join(", ", GATE_KEYS.stream().sorted().toList()));
            return null;
        }
        unknownKeys(source, prefix, node, GATE_KEYS, problems);
        int clean = 0;
        JsonNode c = node.path("consecutiveCleanReconciliations");
        if (!c.isMissingNode()) {
            if (!c.canConvertToInt() || !c.isIntegralNumber() || c.asInt() < 0) {
                problems.add(source + ": " + prefix + "consecutiveCleanReconciliations: must be a whole number >= 0, got '"
                        + c.asText() + "'");
            } else {
                clean = c.asInt();
            }
        }
        Double ratio = null;
        JsonNode r = node.path("maxMismatchRatio");
        if (!r.isMissingNode()) {
            if (!r.isNumber() || r.asDouble() < 0 || r.asDouble() > 1) {
                problems.add(source + ": " + prefix + "maxMismatchRatio: must be a number from 0 to 1, got '" + r.asText() + "'");
            } else {
                ratio = r.asDouble();
            }
        }
        Duration lag = duration(source, prefix, node, "maxFreshnessLag", problems);
        Duration min = duration(source, prefix, node, "minTimeInStage", problems);
        return new Gates(clean, ratio, lag, min);
    }

    private static Duration duration(String source, String prefix, JsonNode node, String key, List<String> problems) {
        JsonNode v = node.path(key);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        try {
            return Durations.parse(v.asText());
        } catch (IllegalArgumentException e) {
            problems.add(source + ": " + prefix + key + ": " + e.getMessage());
            return null;
        }
    }

    private static void unknownKeys(String source, String prefix, JsonNode node, Set<String> known, List<String> problems) {
        if (!node.isObject()) {
            problems.add(source + ": " + (prefix.isEmpty() ? "(top level)" : prefix.substring(0, prefix.length() - 1))
                    + ": must be a mapping");
            return;
        }
        node.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                problems.add(source + ": " + prefix + k + ": unknown key; known keys are "
                        + String.join(", ", known.stream().sorted().toList()));
            }
        });
    }

    private static String requiredText(String source, JsonNode root, String key, List<String> problems) {
        JsonNode v = root.path(key);
        if (v.isMissingNode() || v.isNull() || !v.isValueNode() || v.asText().isBlank()) {
            problems.add(source + ": " + key + ": is required");
            return null;
        }
        return v.asText().strip();
    }

    private static String optionalText(String source, JsonNode node, String prefix, String key, List<String> problems) {
        JsonNode v = node.path(key);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            problems.add(source + ": " + prefix + key + ": must be a non-empty string");
            return null;
        }
        return v.asText().strip();
    }

    /**
     * These playbooks, and for every configured pipeline without one whose configuration names its
     * legacy DAG, the default playbook ({@link DefaultPlaybook}).
     */
    public Playbooks withDefaults(List<io.lakeshift.core.config.PipelineConfig> pipelines) {
        Map<String, Playbook> all = new LinkedHashMap<>(byPipeline);
        for (io.lakeshift.core.config.PipelineConfig p : pipelines) {
            if (!all.containsKey(p.name()) && p.dag() != null && !p.dag().isBlank()) {
                all.put(p.name(), DefaultPlaybook.of(p, null));
            }
        }
        return new Playbooks(all);
    }

    /** Whether {@code pipeline} has a playbook. */
    public boolean has(String pipeline) {
        return byPipeline.containsKey(pipeline);
    }

    /** The playbook of a pipeline. */
    public Playbook of(String pipeline) {
        Playbook p = byPipeline.get(pipeline);
        if (p == null) {
            throw new ConfigException("pipeline", "'" + pipeline + "' has no playbook (playbooks exist for "
                    + String.join(", ", byPipeline.keySet().stream().sorted().toList()) + "): set 'dag' (and 'schedule') on the"
                    + " pipeline in the configuration for the default playbook, or write one with 'lakeshift migrate init "
                    + pipeline + " --dag <DAG>' and pass its folder with --playbooks");
        }
        return p;
    }

    /** Every playbook, by pipeline name. */
    public List<Playbook> all() {
        return byPipeline.values().stream().sorted(java.util.Comparator.comparing(Playbook::pipeline)).toList();
    }
}
