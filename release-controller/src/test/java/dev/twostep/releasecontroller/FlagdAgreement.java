package dev.twostep.releasecontroller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.openfeature.contrib.providers.flagd.Config;
import dev.openfeature.contrib.providers.flagd.FlagdOptions;
import dev.openfeature.contrib.providers.flagd.FlagdProvider;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import io.restassured.RestAssured;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static dev.twostep.releasecontroller.TopicFixtures.apiKey;
import static dev.twostep.releasecontroller.TopicFixtures.audience;
import static dev.twostep.releasecontroller.TopicFixtures.deployed;
import static dev.twostep.releasecontroller.TopicFixtures.json;
import static dev.twostep.releasecontroller.TopicFixtures.published;
import static dev.twostep.releasecontroller.TopicFixtures.unique;
import static dev.twostep.releasecontroller.TypedFlagsTest.DEFINITION_PATH;
import static dev.twostep.releasecontroller.TypedFlagsTest.segment;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the agreement tests run against the service: six flags in a new environment (string, integer, double,
 * object and boolean definitions with rules, three segments, nested {@code if}, three splits, and a 33.333 %
 * audience), exported as one flagd document that the OpenFeature flagd provider for Java, a client nobody here
 * wrote, reads in in-process mode (from a file). Then, for each of the seeded contexts (attributes missing one time
 * in five), OFREP's bulk answer and the provider's answer for every flag, compared on value and variant.
 */
final class FlagdAgreement {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 20_261_129L;
    private static final List<String> EMAILS = List.of("kim@example.com", "ops.lee@partner.io", "ann@shop.org");
    private static final List<String> COUNTRIES = List.of("de", "fr", "nl", "us", "jp");
    private static final List<String> VERSIONS = List.of("1.9.9", "2.0.0", "2.1.3", "2.1.0-rc.1", "2.2.0", "3.0.1");
    private static final List<String> PLANS = List.of("free", "pro", "team", "enterprise");

    private FlagdAgreement() {
    }

    enum Kind { BOOLEAN, STRING, INTEGER, DOUBLE, OBJECT }

    record Subject(String key, Kind kind) {
    }

    /**
     * @param reasons            OFREP's reasons, counted per flag type ("STRING SPLIT")
     * @param splitDisagreements the first disagreements among the evaluations a split decided
     * @param otherDisagreements the first disagreements among the others
     * @param bucketings         the bucketings OFREP's answers and the exported flags name
     */
    record Tally(int contexts, int compared, int splits, int splitsAgreeing, Map<String, Integer> reasons,
                 List<String> splitDisagreements, List<String> otherDisagreements, Set<String> bucketings) {

        String summary() {
            return "%d evaluations over %d contexts; %d decided by a split, of which %d agree; reasons %s"
                    .formatted(compared, contexts, splits, splitsAgreeing, reasons);
        }
    }

    static Tally run(int contexts) throws Exception {
        String environment = unique("agree");
        List<Subject> subjects = releaseSixFlags(environment);
        String key = apiKey(environment);
        String document = given().header("X-API-Key", key).get("/flagd/v1/flags.json?environment={env}", environment)
                .then().statusCode(200).extract().asString();
        assertThat(schemaErrors(JSON.readTree(document))).isEmpty();
        assertThat(schemaErrors(JSON.readTree("{\"flags\": {\"x\": {\"state\": \"ON\", \"defaultVariant\": \"a\"}}}")))
                .as("the schema is really applied").isNotEmpty();
        Set<String> bucketings = new TreeSet<>(JSON.readTree(document).findValuesAsText("bucketing"));
        Path file = Files.createTempFile("twostep-flagd-", ".json");
        Files.writeString(file, document);

        OpenFeatureAPI api = OpenFeatureAPI.getInstance();
        // The provider's default deadline (1 s) to read the file is too short on two busy cores.
        api.setProviderAndWait("flagd-in-process", new FlagdProvider(FlagdOptions.builder()
                .resolverType(Config.Resolver.FILE).offlineFlagSourcePath(file.toString()).deadline(30_000).build()));
        Client flagd = api.getClient("flagd-in-process");

        HttpClient http = HttpClient.newHttpClient();
        Random random = new Random(SEED);
        int compared = 0;
        int splits = 0;
        int splitsAgreeing = 0;
        Map<String, Integer> reasons = new TreeMap<>();
        List<String> splitDisagreements = new ArrayList<>();
        List<String> otherDisagreements = new ArrayList<>();
        for (int i = 0; i < contexts; i++) {
            Map<String, Object> attributes = context(random);
            String targetingKey = "user-" + i;
            JsonNode ofrep = bulk(http, key, targetingKey, attributes);
            MutableContext context = new MutableContext(targetingKey);
            attributes.forEach((name, value) -> {
                switch (value) {
                    case Integer n -> context.add(name, n);
                    default -> context.add(name, (String) value);
                }
            });
            for (Subject subject : subjects) {
                JsonNode expected = ofrep.get(subject.key());
                FlagEvaluationDetails<?> actual = resolve(flagd, subject, context);
                String reason = expected.path("reason").asText();
                reasons.merge(subject.kind() + " " + reason, 1, Integer::sum);
                bucketings.add(expected.path("metadata").path("bucketing").asText());
                compared++;
                boolean agrees = expected.path("variant").asText().equals(actual.getVariant())
                        && sameValue(expected.get("value"), actual.getValue());
                boolean split = reason.equals("SPLIT");
                splits += split ? 1 : 0;
                splitsAgreeing += split && agrees ? 1 : 0;
                List<String> disagreements = split ? splitDisagreements : otherDisagreements;
                if (!agrees && disagreements.size() < 20) {
                    disagreements.add(subject.key() + " " + targetingKey + " " + attributes + ": OFREP "
                            + expected.path("variant").asText() + "=" + expected.get("value") + " (" + reason
                            + "), flagd " + actual.getVariant() + "=" + actual.getValue() + " (" + actual.getReason()
                            + ", " + actual.getErrorCode() + ")");
                }
            }
        }
        return new Tally(contexts, compared, splits, splitsAgreeing, reasons, splitDisagreements, otherDisagreements,
                bucketings);
    }

    private static List<Subject> releaseSixFlags(String environment) {
        String app = unique("shop");
        Subject theme = new Subject(unique("theme"), Kind.STRING);
        Subject limit = new Subject(unique("limit"), Kind.INTEGER);
        Subject ratio = new Subject(unique("ratio"), Kind.DOUBLE);
        Subject layout = new Subject(unique("layout"), Kind.OBJECT);
        Subject beta = new Subject(unique("beta"), Kind.BOOLEAN);
        Subject legacy = new Subject(unique("switch"), Kind.BOOLEAN);
        List<Subject> subjects = List.of(theme, limit, ratio, layout, beta, legacy);
        published(app, "1.0.0", subjects.stream().map(Subject::key).toArray(String[]::new));
        deployed(app, "1.0.0", environment, theme.key());

        segment(environment, "staff", "{\"ends_with\": [{\"var\": \"email\"}, \"@example.com\"]}");
        segment(environment, "eu", "{\"in\": [{\"var\": \"country\"}, [\"de\", \"fr\", \"nl\"]]}");
        segment(environment, "modern", "{\"sem_ver\": [{\"var\": \"appVersion\"}, \">=\", \"2.0.0\"]}");
        define(theme, environment, """
                {"state": "ENABLED", "defaultVariant": "classic",
                 "variants": {"classic": "classic", "dark": "dark", "neon": "neon"},
                 "targeting": {"if": [
                   {"$ref": "staff"}, "neon",
                   {"and": [{"$ref": "eu"}, {"$ref": "modern"}]},
                     {"fractional": [["dark", 30000], ["classic", 50000], ["neon", 20000]]},
                   {"starts_with": [{"var": "email"}, "ops."]}, "dark",
                   null]}}""");
        define(limit, environment, """
                {"state": "ENABLED", "defaultVariant": "low", "variants": {"low": 10, "mid": 50, "high": 100},
                 "targeting": {"if": [
                   {">=": [{"var": "age"}, 65]}, "mid",
                   {"<": [{"var": "age"}, 18]}, "low",
                   {"in": [{"var": "plan"}, ["pro", "team"]]}, "high",
                   {"fractional": [["mid", 1], ["low", 1]]}]}}""");
        define(ratio, environment, """
                {"state": "ENABLED", "defaultVariant": "a", "variants": {"a": 0.25, "b": 0.5, "c": 0.75},
                 "targeting": {"if": [
                   {"!": [{"$ref": "staff"}]},
                     {"if": [{"or": [{"==": [{"var": "plan"}, "free"]}, {"!=": [{"var": "country"}, "us"]}]}, "b",
                             {"<=": [{"var": "age"}, 30]}, "c", null]},
                   {">": [{"var": "age"}, 40]}, "c"]}}""");
        define(layout, environment, """
                {"state": "ENABLED", "defaultVariant": "compact",
                 "variants": {"compact": {"tier": "compact", "rows": 10}, "wide": {"tier": "wide", "rows": 50}},
                 "targeting": {"if": [
                   {"sem_ver": [{"var": "appVersion"}, "^", "3.0.0"]}, "wide",
                   {"sem_ver": [{"var": "appVersion"}, "~", "2.1.0"]},
                     {"fractional": [["wide", 25000], ["compact", 75000]]},
                   null]}}""");
        define(beta, environment, """
                {"state": "ENABLED", "defaultVariant": "off", "variants": {"on": true, "off": false},
                 "targeting": {"if": [{"or": [{"$ref": "staff"}, {"==": [{"var": "country"}, "de"]}]}, "on", null]}}""");
        audience(legacy.key(), environment, "{\"percentage\": 33.333, \"users\": [\"user-7\"], \"reason\": \"a third\"}");
        return subjects;
    }

    private static void define(Subject subject, String environment, String definition) {
        json(definition).put(DEFINITION_PATH, subject.key(), environment).then().statusCode(200);
    }

    private static Map<String, Object> context(Random random) {
        Map<String, Object> attributes = new HashMap<>();
        maybe(random, attributes, "email", EMAILS.get(random.nextInt(EMAILS.size())));
        maybe(random, attributes, "country", COUNTRIES.get(random.nextInt(COUNTRIES.size())));
        maybe(random, attributes, "appVersion", VERSIONS.get(random.nextInt(VERSIONS.size())));
        maybe(random, attributes, "plan", PLANS.get(random.nextInt(PLANS.size())));
        maybe(random, attributes, "age", 10 + random.nextInt(70));
        return attributes;
    }

    /** An attribute is missing one time in five, so rules meet absent values too. */
    private static void maybe(Random random, Map<String, Object> attributes, String name, Object value) {
        if (random.nextInt(5) > 0) {
            attributes.put(name, value);
        }
    }

    private static JsonNode bulk(HttpClient http, String key, String targetingKey, Map<String, Object> attributes)
            throws Exception {
        Map<String, Object> context = new HashMap<>(attributes);
        context.put("targetingKey", targetingKey);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + RestAssured.port + "/ofrep/v1/evaluate/flags"))
                .header("X-API-Key", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("context", context))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, JsonNode> byKey = new HashMap<>();
        JSON.readTree(response.body()).path("flags").forEach(flag -> byKey.put(flag.path("key").asText(), flag));
        return JSON.valueToTree(byKey);
    }

    private static FlagEvaluationDetails<?> resolve(Client client, Subject subject, MutableContext context) {
        return switch (subject.kind()) {
            case BOOLEAN -> client.getBooleanDetails(subject.key(), false, context);
            case STRING -> client.getStringDetails(subject.key(), "", context);
            case INTEGER -> client.getIntegerDetails(subject.key(), -1, context);
            case DOUBLE -> client.getDoubleDetails(subject.key(), -1.0, context);
            case OBJECT -> client.getObjectDetails(subject.key(), new Value(), context);
        };
    }

    private static boolean sameValue(JsonNode expected, Object actual) {
        return switch (actual) {
            case Boolean b -> expected.isBoolean() && expected.booleanValue() == b;
            case String s -> expected.isTextual() && expected.asText().equals(s);
            case Number n -> expected.isNumber() && expected.doubleValue() == n.doubleValue();
            case Value v -> v.isStructure() && expected.isObject()
                    && v.asStructure().getValue("tier").asString().equals(expected.path("tier").asText())
                    && v.asStructure().getValue("rows").asInteger() == expected.path("rows").asInt();
            default -> false;
        };
    }

    /** Errors of the document against flagd's schemas as the provider's jar carries them. */
    private static Set<ValidationMessage> schemaErrors(JsonNode document) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7, builder ->
                builder.schemaMappers(mappers -> mappers.mapPrefix("https://flagd.dev/schema/v0/",
                        "classpath:flagd/schemas/")));
        JsonSchema schema = factory.getSchema(SchemaLocation.of("https://flagd.dev/schema/v0/flags.json"));
        return schema.validate(document);
    }
}
