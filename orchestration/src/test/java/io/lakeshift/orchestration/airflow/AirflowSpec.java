package io.lakeshift.orchestration.airflow;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.ApiOperation;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Airflow's published OpenAPI file (test resources {@code /airflow-openapi/v1.yaml} and
 * {@code v2.yaml}) as a validator of requests and responses.
 *
 * <p>Four adjustments, all to what the validator can read rather than to what the spec allows:
 * v2.yaml says {@code openapi: 3.1.0} but is written in 3.0 terms ({@code nullable}), and the
 * validator only reads 3.0 properly, so it is read as 3.0; a parameter schema without a type
 * (the {@code dag_id} of trigger_dag_run) is read as a string, as every path parameter is; and
 * discriminators are dropped (v1's ScheduleInterval one overflows the validator's stack), leaving
 * the anyOf they annotate to be checked as it is; and v1's {@code $ref}s to shared error responses
 * are inlined, since the validator does not follow them.
 * One check is added: a query parameter the operation does not declare is an error.
 */
final class AirflowSpec {

    private static final Map<String, AirflowSpec> LOADED = new ConcurrentHashMap<>();
    private static final String RESPONSES = "#/components/responses/";

    private final OpenApiInteractionValidator validator;

    private AirflowSpec(OpenApiInteractionValidator validator) {
        this.validator = validator;
    }

    static AirflowSpec of(String api) {
        return LOADED.computeIfAbsent(api, AirflowSpec::load);
    }

    /** The problems of one request; empty when the spec allows it. */
    List<String> checkRequest(String method, String rawPath, Map<String, List<String>> query, Map<String, List<String>> headers,
            String body) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, rawPath);
        query.forEach(request::withQueryParam);
        headers.forEach(request::withHeader);
        if (body != null && !body.isEmpty()) {
            request.withBody(body);
        }
        return problems(validator.validateRequest(request.build()));
    }

    /** The problems of one response the fake server sends, so the fixtures cannot drift from the spec. */
    List<String> checkResponse(String method, String rawPath, int status, String body) {
        SimpleResponse response = SimpleResponse.Builder.status(status)
                .withContentType("application/json")
                .withBody(body)
                .build();
        return problems(validator.validateResponse(rawPath, Request.Method.valueOf(method), response));
    }

    private static List<String> problems(ValidationReport report) {
        List<String> problems = new ArrayList<>();
        for (ValidationReport.Message message : report.getMessages()) {
            if (message.getLevel() == ValidationReport.Level.ERROR) {
                problems.add(message.getKey() + ": " + message.getMessage());
            }
        }
        return problems;
    }

    private static AirflowSpec load(String api) {
        String text = read("/airflow-openapi/" + api + ".yaml").replace("\nopenapi: 3.1.0\n", "\nopenapi: 3.0.3\n");
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(text, null, options);
        OpenAPI openApi = parsed.getOpenAPI();
        if (openApi == null) {
            throw new IllegalStateException("cannot parse " + api + ".yaml: " + parsed.getMessages());
        }
        Map<Operation, PathItem> pathOf = new IdentityHashMap<>();
        openApi.getPaths().values().forEach(item -> item.readOperations().forEach(op -> pathOf.put(op, item)));
        pathOf.forEach((operation, item) -> parameters(operation, item).forEach(AirflowSpec::typeUntyped));
        pathOf.keySet().forEach(operation -> inlineResponseRefs(operation, openApi));
        // v1's ScheduleInterval discriminator sends the validator into endless recursion; anyOf alone still applies
        openApi.getComponents().getSchemas().values().forEach(schema -> schema.setDiscriminator(null));
        LevelResolver levels = LevelResolver.create()
                // the validator adds additionalProperties: false to every schema unless told not to, which
                // breaks allOf (v1's collections); the spec's own additionalProperties: false still holds
                .withLevel("validation.schema.additionalProperties", ValidationReport.Level.IGNORE)
                .build();
        OpenApiInteractionValidator validator = OpenApiInteractionValidator.createFor(openApi)
                .withLevelResolver(levels)
                .withCustomRequestValidation((request, operation) -> undeclaredQuery(request, operation, pathOf))
                .build();
        return new AirflowSpec(validator);
    }

    private static ValidationReport undeclaredQuery(Request request, ApiOperation operation, Map<Operation, PathItem> pathOf) {
        Set<String> declared = new HashSet<>();
        for (Parameter p : parameters(operation.getOperation(), pathOf.get(operation.getOperation()))) {
            if ("query".equals(p.getIn())) {
                declared.add(p.getName());
            }
        }
        List<ValidationReport.Message> messages = new ArrayList<>();
        for (String name : request.getQueryParameters()) {
            if (!declared.contains(name)) {
                messages.add(ValidationReport.Message.create("lakeshift.request.query.undeclared",
                        "query parameter '" + name + "' is not declared by " + operation.getOperation().getOperationId())
                        .build());
            }
        }
        return ValidationReport.from(messages);
    }

    private static List<Parameter> parameters(Operation operation, PathItem item) {
        List<Parameter> all = new ArrayList<>();
        if (item != null && item.getParameters() != null) {
            all.addAll(item.getParameters());
        }
        if (operation.getParameters() != null) {
            all.addAll(operation.getParameters());
        }
        return all;
    }

    /** v1 points its error answers at components/responses; the validator does not follow such a $ref. */
    private static void inlineResponseRefs(Operation operation, OpenAPI openApi) {
        if (operation.getResponses() == null) {
            return;
        }
        operation.getResponses().replaceAll((status, response) -> {
            String ref = response.get$ref();
            if (ref == null || !ref.startsWith(RESPONSES)) {
                return response;
            }
            ApiResponse target = openApi.getComponents().getResponses().get(ref.substring(RESPONSES.length()));
            return target == null ? response : target;
        });
    }

    private static void typeUntyped(Parameter parameter) {
        Schema<?> schema = parameter.getSchema();
        if (schema != null && schema.getType() == null && schema.get$ref() == null && schema.getAnyOf() == null
                && schema.getOneOf() == null && schema.getAllOf() == null) {
            schema.setType("string");
        }
    }

    private static String read(String resource) {
        try (InputStream in = AirflowSpec.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
