package dev.twostep.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks custom resources against the openAPIV3Schema of their CRDs, kept as test resources under
 * schemas/ (see schemas/README.md for their source and version). An API server prunes fields that a
 * structural schema does not list; here such a field is an error, because it is almost always a typo
 * or a field of another version.
 */
final class CustomResourceSchemas {

    private static final List<String> CRD_FILES = List.of(
            "strimzi-1.2.0-040-Crd-kafka.yaml",
            "strimzi-1.2.0-043-Crd-kafkatopic.yaml",
            "strimzi-1.2.0-044-Crd-kafkauser.yaml",
            "strimzi-1.2.0-045-Crd-kafkanodepool.yaml",
            "cnpg-1.30.0-clusters.yaml",
            "prometheus-operator-servicemonitors.yaml");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, Schema> SCHEMAS = load();

    private CustomResourceSchemas() {
    }

    static boolean covers(KubeObject object) {
        return SCHEMAS.containsKey(key(object.apiVersion(), object.kind()));
    }

    /** @return the problems found, empty when the object is valid */
    static List<String> problems(KubeObject object) {
        Schema schema = SCHEMAS.get(key(object.apiVersion(), object.kind()));
        if (schema == null) {
            return List.of("no CRD schema for " + object.apiVersion() + " " + object.kind());
        }
        return schema.validate(object.json()).stream().map(Object::toString).toList();
    }

    /** Every served version of every CRD file, by "group/version/Kind". */
    private static Map<String, Schema> load() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
        Map<String, Schema> schemas = new HashMap<>();
        for (String file : CRD_FILES) {
            for (JsonNode crd : Manifests.parse(resource("schemas/" + file)).stream().map(KubeObject::json).toList()) {
                String group = crd.path("spec").path("group").asText();
                String kind = crd.path("spec").path("names").path("kind").asText();
                for (JsonNode version : crd.path("spec").path("versions")) {
                    if (version.path("served").asBoolean()) {
                        JsonNode schema = strict(version.path("schema").path("openAPIV3Schema").deepCopy());
                        schemas.put(key(group + "/" + version.path("name").asText(), kind), registry.getSchema(schema));
                    }
                }
            }
        }
        return Map.copyOf(schemas);
    }

    /**
     * Closes every object schema that lists its properties, unless it asks to keep unknown fields. The
     * branches of allOf/anyOf/oneOf stay open: in a structural schema they only add value rules to
     * properties that the enclosing schema already lists.
     */
    static JsonNode strict(JsonNode schema) {
        if (!(schema instanceof ObjectNode object)) {
            return schema;
        }
        if (object.has("properties") && !object.has("additionalProperties")
                && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
            object.put("additionalProperties", false);
        }
        object.path("properties").forEach(CustomResourceSchemas::strict);
        strict(object.path("items"));
        strict(object.path("additionalProperties"));
        return schema;
    }

    private static String key(String apiVersion, String kind) {
        return apiVersion + "/" + kind;
    }

    private static String resource(String path) {
        try (InputStream in = CustomResourceSchemas.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
