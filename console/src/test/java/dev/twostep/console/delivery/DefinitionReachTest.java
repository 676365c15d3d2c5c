package dev.twostep.console.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which flag definitions are releases, and which reach everyone, from the shape of their targeting alone. */
class DefinitionReachTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "ENABLED|                                                                      |DEFAULT_ONLY",
            "DISABLED|{\"fractional\": [[\"dark\", 1], [\"classic\", 1]]}                    |DEFAULT_ONLY",
            "ENABLED|{\"if\": [{\"var\": \"beta\"}, \"classic\"]}                            |DEFAULT_ONLY",
            "ENABLED|{\"if\": [{\"var\": \"beta\"}, \"classic\", null]}                      |DEFAULT_ONLY",
            "ENABLED|{\"fractional\": [[\"dark\", 0], [\"classic\", 100000]]}                |DEFAULT_ONLY",
            "ENABLED|{\"if\": [{\"$ref\": \"staff\"}, \"neon\"]}                             |SOME",
            "ENABLED|{\"if\": [{\"var\": \"a\"}, \"classic\", {\"var\": \"b\"}, \"dark\", null]} |SOME",
            "ENABLED|{\"if\": [{\"var\": \"a\"}, \"neon\", {\"fractional\": [[\"dark\", 5], [\"classic\", 95]]}]} |SOME",
            "ENABLED|\"dark\"                                                               |EVERYONE",
            "ENABLED|{\"fractional\": [[\"dark\", 50000], [\"neon\", 50000]]}                |EVERYONE",
            "ENABLED|{\"if\": [{\"var\": \"a\"}, \"neon\", {\"if\": [{\"var\": \"b\"}, \"dark\", \"neon\"]}]} |EVERYONE",
    })
    void readsWhatTheTargetingCanServe(String state, String targeting, DefinitionReach expected) {
        assertThat(DefinitionReach.of(definition(state, targeting, ""))).isEqualTo(expected);
    }

    @Test
    void metadataAndSegmentsDoNotMakeADefinitionServeOtherwise() {
        JsonNode plain = definition("ENABLED", "{\"if\": [{\"$ref\": \"staff\"}, \"neon\"]}", "");
        JsonNode labelled = definition("ENABLED", "{\"if\": [{\"$ref\": \"staff\"}, \"neon\"]}",
                ", \"metadata\": {\"team\": \"web\"}");

        assertThat(DefinitionReach.servesAlike(plain, labelled)).isTrue();
        assertThat(DefinitionReach.servesAlike(plain, definition("ENABLED",
                "{\"if\": [{\"$ref\": \"staff\"}, \"dark\"]}", ""))).isFalse();
        assertThat(DefinitionReach.servesAlike(plain, definition("DISABLED",
                "{\"if\": [{\"$ref\": \"staff\"}, \"neon\"]}", ""))).isFalse();
    }

    private static JsonNode definition(String state, String targeting, String more) {
        String text = "{\"state\": \"" + state + "\", \"defaultVariant\": \"classic\", \"variants\": {\"classic\": 1,"
                + " \"dark\": 2, \"neon\": 3}" + (targeting == null || targeting.isBlank() ? ""
                : ", \"targeting\": " + targeting) + more + "}";
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
