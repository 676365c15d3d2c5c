package dev.twostep.problems;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The mapper every service reads request bodies with: nothing unknown, nothing coerced, no control characters. */
class StrictJsonTest {

    record Sample(String name, int count, boolean enabled, Long limit, List<String> tags) {
    }

    record Timed(Instant at, Duration within, double share) {
    }

    private static final ObjectMapper STRICT = strict();

    /** As in Quarkus, the Java time module is registered before the customizer runs. */
    private static ObjectMapper strict() {
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());
        new StrictJson().customize(mapper);
        return mapper;
    }

    @Test
    void readsRfc3339TimesWithAnyOffsetAndIso8601Durations() throws Exception {
        Timed timed = STRICT.readValue("""
                {"at": "2026-11-20T12:00:00+02:00", "within": "PT5M", "share": 12.5}""", Timed.class);

        assertThat(timed).isEqualTo(new Timed(Instant.parse("2026-11-20T10:00:00Z"), Duration.ofMinutes(5), 12.5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"at\": 1763632800}", "{\"within\": 300}", "{\"share\": \"12.5\"}", "{\"at\": true}",
            "{\"within\": [\"PT5M\"]}"})
    void refusesNumbersForTimesAndDurationsAndTextForFractions(String body) {
        assertThatThrownBy(() -> STRICT.readValue(body, Timed.class)).isInstanceOf(MismatchedInputException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+999999999-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z",
            "20261120T100000Z"})
    void refusesATimeWhoseYearIsNotFourDigits(String time) {
        assertThatThrownBy(() -> STRICT.readValue("{\"at\": \"" + time + "\"}", Timed.class))
                .isInstanceOfSatisfying(InvalidFormatException.class,
                        e -> assertThat(e.getTargetType()).isEqualTo(Instant.class));
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
