package dev.twostep.problems;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The mapper every service reads request bodies with: nothing unknown, nothing coerced, no control characters. */
class StrictJsonTest {

    record Sample(String name, int count, boolean enabled, Long limit, List<String> tags) {
    }

    private static final ObjectMapper STRICT = strict();

    private static ObjectMapper strict() {
        ObjectMapper mapper = new ObjectMapper();
        new StrictJson().customize(mapper);
        return mapper;
    }

    @Test
    void readsAValidDocumentAsItIs() throws Exception {
        Sample sample = STRICT.readValue("""
                {"name": "tab\\tand\\nline", "count": 3, "enabled": true, "limit": null, "tags": ["a"]}""",
                Sample.class);

        assertThat(sample).isEqualTo(new Sample("tab\tand\nline", 3, true, null, List.of("a")));
    }

    @Test
    void refusesAnUnknownField() {
        assertThatThrownBy(() -> STRICT.readValue("""
                {"name": "x", "count": 1, "enabled": true, "colour": "red"}""", Sample.class))
                .isInstanceOf(UnrecognizedPropertyException.class)
                .satisfies(e -> assertThat(((UnrecognizedPropertyException) e).getPropertyName()).isEqualTo("colour"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"name\": 12}", "{\"name\": 1.5}", "{\"name\": true}"})
    void refusesAScalarOfAnotherTypeForTextAsSuchNotAsControlCharacters(String body) {
        assertThatThrownBy(() -> STRICT.readValue(body, Sample.class)).isInstanceOf(MismatchedInputException.class)
                .isNotInstanceOf(StrictJson.ControlCharacters.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"count\": \"3\"}", "{\"count\": 1.5}", "{\"count\": null}", "{\"limit\": \"7\"}",
            "{\"enabled\": \"true\"}", "{\"enabled\": 1}"})
    void refusesTextFractionsAndNullsWhereNumbersAndBooleansBelong(String body) {
        assertThatThrownBy(() -> STRICT.readValue(body, Sample.class)).isInstanceOf(MismatchedInputException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\u0000", "\\u0007", "\\u001b", "\\u007f"})
    void refusesControlCharactersInTextWithTheFieldsPath(String escaped) {
        assertThatThrownBy(() -> STRICT.readValue("{\"tags\": [\"ok\", \"a" + escaped + "b\"]}", Sample.class))
                .isInstanceOfSatisfying(StrictJson.ControlCharacters.class, e -> {
                    assertThat(e.getTargetType()).isEqualTo(String.class);
                    assertThat(e.getPath()).extracting(r -> r.getFieldName() == null ? "[" + r.getIndex() + "]"
                            : r.getFieldName()).containsExactly("tags", "[1]");
                });
    }

    @Test
    void refusesTrailingTokensAfterTheDocument() {
        assertThatThrownBy(() -> STRICT.readValue("{\"name\": \"x\"} {}", Sample.class))
                .isInstanceOf(MismatchedInputException.class);
    }
}
