package dev.twostep.k8s;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** One rendered Kubernetes object, as JSON. */
record KubeObject(JsonNode json) {

    String apiVersion() {
        return json.path("apiVersion").asText();
    }

    String kind() {
        return json.path("kind").asText();
    }

    String name() {
        return json.path("metadata").path("name").asText();
    }

    String namespace() {
        return json.path("metadata").path("namespace").asText();
    }

    /** A node by a path of field names, e.g. at("spec", "kafka", "config"); missing nodes are MissingNode. */
    JsonNode at(String... fields) {
        JsonNode node = json;
        for (String field : fields) {
            node = node.path(field);
        }
        return node;
    }

    static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    @Override
    public String toString() {
        return kind() + " " + (namespace().isEmpty() ? "" : namespace() + "/") + name();
    }
}
