package dev.twostep.buildservice.cdevents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twostep.events.rules.CommitSha;
import dev.twostep.events.rules.FeatureKey;
import dev.twostep.problems.ProblemException;
import io.cloudevents.CloudEvent;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the three CDEvents types this service understands out of a CloudEvent, in every version that CDEvents
 * spec v0.3.0 through v0.5.1 published: 0.1.1 (spec v0.3), 0.2.0 (v0.4) and 0.3.0 (v0.5). The fields used here
 * kept their names and meaning across those versions; only the context's version field was renamed
 * ({@code version}, then {@code specversion}), and it is not needed.
 *
 * <p>Every problem is a 400 that names the field in the CDEvent's own JSON, for example
 * {@code subject.content.change.id}.
 */
public final class CDEventReader {

    static final Set<String> VERSIONS = Set.of("0.1.1", "0.2.0", "0.3.0");
    private static final Pattern TYPE = Pattern.compile(
            "dev\\.cdevents\\.([a-z]+)\\.([a-z]+)\\.(\\d+\\.\\d+\\.\\d+(?:-[0-9A-Za-z.-]+)?)");
    private static final Pattern COMMIT = Pattern.compile(CommitSha.PATTERN);
    private static final Pattern FEATURE_KEY = Pattern.compile(FeatureKey.PATTERN);

    private final ObjectMapper json;

    public CDEventReader(ObjectMapper json) {
        this.json = json;
    }

    /** What a well-formed CDEvent says, or empty for a type this service does not use. */
    public Optional<CDEvent> read(CloudEvent event) {
        Matcher type = TYPE.matcher(event.getType());
        if (!type.matches()) {
            throw ProblemException.invalid("type", "must be a CDEvents type: dev.cdevents.<subject>.<predicate>.<version>");
        }
        String subjectAndPredicate = type.group(1) + "." + type.group(2);
        boolean handled = switch (subjectAndPredicate) {
            case "build.finished", "artifact.packaged", "artifact.published" -> true;
            default -> false;
        };
        if (!handled) {
            return Optional.empty();
        }
        if (!VERSIONS.contains(type.group(3))) {
            throw ProblemException.invalid("type", "version " + type.group(3) + " of " + subjectAndPredicate
                    + " is not one Twostep reads; supported: " + String.join(", ", VERSIONS.stream().sorted().toList())
                    + " (CDEvents spec v0.3.0 to v0.5.1)");
        }
        JsonNode root = body(event);
        JsonNode context = object(root, "context", "context");
        if (!event.getType().equals(context.path("type").asText())) {
            throw ProblemException.invalid("context.type", "must equal the CloudEvent type " + event.getType());
        }
        Instant timestamp = instant(context, "timestamp", "context.timestamp");
        String chainId = context.hasNonNull("chainId") ? context.get("chainId").asText() : null;
        JsonNode subject = object(root, "subject", "subject");
        String subjectId = text(subject, "id", "subject.id");
        JsonNode content = subject.path("content");
        return Optional.of(switch (subjectAndPredicate) {
            case "build.finished" -> {
                String artefact = content.hasNonNull("artifactId") ? content.get("artifactId").asText() : null;
                if (artefact != null) {
                    ArtefactPurl.parse(artefact, "subject.content.artifactId");
                }
                yield new CDEvent.BuildFinished(subjectId, source(subject, context), artefact, timestamp, chainId);
            }
            case "artifact.packaged" -> {
                ArtefactPurl artefact = ArtefactPurl.parse(subjectId, "subject.id");
                JsonNode change = object(content, "change", "subject.content.change");
                String commit = text(change, "id", "subject.content.change.id");
                if (!COMMIT.matcher(commit).matches()) {
                    throw ProblemException.invalid("subject.content.change.id", CommitSha.MESSAGE);
                }
                String repository = text(change, "source", "subject.content.change.source");
                yield new CDEvent.ArtefactPackaged(subjectId, artefact, commit.toLowerCase(), repository,
                        features(root.path("customData")), source(subject, context), timestamp, chainId);
            }
            default -> {
                ArtefactPurl.parse(subjectId, "subject.id");
                yield new CDEvent.ArtefactPublished(subjectId, timestamp, chainId);
            }
        });
    }

    private JsonNode body(CloudEvent event) {
        if (event.getData() == null) {
            throw ProblemException.invalid("data", "is required: the CDEvent as JSON");
        }
        try {
            return json.readTree(event.getData().toBytes());
        } catch (JsonProcessingException e) {
            throw ProblemException.invalid("data", "must be a CDEvent in JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ProblemException.invalid("data", "must be a CDEvent in JSON");
        }
    }

    /** Where the subject lives, falling back to the event's source as the CDEvents spec says. */
    private static String source(JsonNode subject, JsonNode context) {
        String source = subject.hasNonNull("source") ? subject.get("source").asText() : context.path("source").asText();
        if (source.isBlank()) {
            throw ProblemException.invalid("context.source", "is required");
        }
        return source;
    }

    /** Twostep's own extension: {@code customData.features}, the feature keys the artefact contains. */
    private static List<String> features(JsonNode customData) {
        JsonNode features = customData.path("features");
        if (features.isMissingNode() || features.isNull()) {
            return List.of();
        }
        if (!features.isArray()) {
            throw ProblemException.invalid("customData.features", "must be an array of feature keys");
        }
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            JsonNode key = features.get(i);
            if (!key.isTextual() || !FEATURE_KEY.matcher(key.asText()).matches()) {
                throw ProblemException.invalid("customData.features[" + i + "]", FeatureKey.MESSAGE);
            }
            keys.add(key.asText());
        }
        return List.copyOf(keys);
    }

    private static JsonNode object(JsonNode parent, String name, String field) {
        JsonNode node = parent.path(name);
        if (!node.isObject()) {
            throw ProblemException.invalid(field, "is required and must be an object");
        }
        return node;
    }

    private static String text(JsonNode parent, String name, String field) {
        JsonNode node = parent.path(name);
        if (!node.isTextual() || node.asText().isBlank()) {
            throw ProblemException.invalid(field, "is required and must be a non-empty string");
        }
        return node.asText();
    }

    private static Instant instant(JsonNode parent, String name, String field) {
        try {
            return Instant.parse(text(parent, name, field));
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(field, "must be an RFC 3339 time");
        }
    }
}
