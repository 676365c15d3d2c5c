package dev.twostep.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.cli.api.Service;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A write operation that takes a JSON body, as a service's own OpenAPI document describes it: its method and path,
 * the roles its bearer-token security requirement names, and its request schema. Found in the document rather than
 * listed by hand, so an endpoint added to a service joins the hostile-input campaign without anyone remembering to.
 *
 * @param schema the request body's schema; absent where the document declares the body only as a JSON string of
 *               bytes (flagd definitions and segments, which the service reads itself), so no field can be named
 */
record JsonWriteOperation(Service service, String method, String template, Set<String> roles,
                          Optional<JsonNode> schema) {

    private static final Set<String> WRITES = Set.of("post", "put", "patch");

    /**
     * Every operation of the document that writes, takes {@code application/json} and requires a bearer token. An
     * operation without a security requirement is OFREP evaluation (authenticated by its API key, and a read by the
     * protocol), and is no write.
     */
    static List<JsonWriteOperation> in(Service service, JsonNode openApi) {
        List<JsonWriteOperation> operations = new ArrayList<>();
        openApi.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            JsonNode body = operation.getValue().path("requestBody").path("content").path("application/json");
            JsonNode security = operation.getValue().path("security");
            if (!WRITES.contains(operation.getKey()) || body.isMissingNode() || security.isEmpty()) {
                return;
            }
            Set<String> roles = new TreeSet<>();
            security.forEach(requirement -> requirement.forEach(scopes -> scopes.forEach(r -> roles.add(r.asText()))));
            JsonNode schema = body.path("schema");
            boolean bytes = "string".equals(schema.path("type").asText()) && "binary".equals(schema.path("format")
                    .asText());
            operations.add(new JsonWriteOperation(service, operation.getKey().toUpperCase(), path.getKey(), roles,
                    bytes ? Optional.empty() : Optional.of(schema)));
        }));
        return operations;
    }

    /**
     * The path with every parameter filled with {@code nothing-here}: nothing of that name exists on the platform,
     * and no value in a generated body has it (an environment that promotes from itself is refused, for example).
     */
    String path() {
        return template.replaceAll("\\{[^}]+}", "nothing-here");
    }

    /** Whether a concrete path, such as those {@link WriteEndpoint} lists, is one of this operation's. */
    boolean serves(String method, String concretePath) {
        return this.method.equals(method) && concretePath.matches(template.replaceAll("\\{[^}]+}", "[^/]+"));
    }

    @Override
    public String toString() {
        return method + " " + service.serviceName() + template;
    }
}
