package dev.twostep.releasecontroller.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.events.EventJson;
import dev.twostep.events.ReleaseEvent.Plan;

import java.util.List;
import java.util.Map;

/** Lists and plans kept as JSON text in read-model columns, written with the event contract's mapper. */
public final class JsonText {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private static final TypeReference<Map<String, JsonNode>> TREES = new TypeReference<>() {
    };

    private JsonText() {
    }

    public static String write(Object value) {
        try {
            return EventJson.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value, e);
        }
    }

    public static List<String> strings(String json) {
        return read(json, STRINGS);
    }

    public static JsonNode tree(String json) {
        return read(json, EventJson.mapper().constructType(JsonNode.class));
    }

    /** A JSON object of named JSON values, such as a definition's segments. */
    public static Map<String, JsonNode> trees(String json) {
        return json == null ? Map.of() : read(json, TREES);
    }

    public static Plan plan(String json) {
        return read(json, EventJson.mapper().constructType(Plan.class));
    }

    private static <T> T read(String json, TypeReference<T> type) {
        return read(json, EventJson.mapper().constructType(type));
    }

    private static <T> T read(String json, JavaType type) {
        try {
            return EventJson.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON in the read model: " + json, e);
        }
    }
}
