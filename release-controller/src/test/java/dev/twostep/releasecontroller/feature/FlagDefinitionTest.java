package dev.twostep.releasecontroller.feature;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static dev.twostep.releasecontroller.feature.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** flagd's flag-definition format as Twostep reads it: one type of variant, a default, a state, a targeting. */
class FlagDefinitionTest {

    @Test
    void readsATypedFlagAndKnowsWhetherItCanServeAnotherVariantThanItsDefault() {
        FlagDefinition theme = FlagDefinition.parse(json("{\"state\": \"ENABLED\", \"defaultVariant\": \"classic\","
                + "\"variants\": {\"classic\": \"classic\", \"dark\": \"dark\"},"
                + "\"targeting\": {\"if\": [{\"var\": \"beta\"}, \"dark\"]}, \"metadata\": {\"team\": \"web\"}}"),
                Map.of());

        assertThat(theme.type()).isEqualTo(FlagDefinition.Type.STRING);
        assertThat(theme.canServeNonDefault()).isTrue();
        assertThat(theme.metadata()).containsKey("team");
        assertThat(FlagDefinition.parse(theme.withoutTargeting(), Map.of()).canServeNonDefault()).isFalse();
    }

    @Test
    void aDisabledFlagOrOneWhoseRulesOnlyNameTheDefaultServesTheDefaultOnly() {
        assertThat(FlagDefinition.parse(json("{\"state\": \"DISABLED\", \"defaultVariant\": \"off\","
                + "\"variants\": {\"on\": true, \"off\": false}, \"targeting\": {\"if\": [true, \"on\"]}}"), Map.of())
                .canServeNonDefault()).isFalse();
        assertThat(FlagDefinition.parse(json("{\"state\": \"ENABLED\", \"defaultVariant\": \"off\","
                + "\"variants\": {\"on\": true, \"off\": false}, \"targeting\": {\"if\": [true, \"off\", null]}}"),
                Map.of()).canServeNonDefault()).isFalse();
        assertThat(FlagDefinition.parse(json("{\"state\": \"ENABLED\", \"defaultVariant\": \"off\","
                + "\"variants\": {\"on\": true, \"off\": false}, \"targeting\": {}}"), Map.of()).targeting()).isNull();
    }

    @ParameterizedTest(name = "{0} is refused at {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"state\": \"ENABLED\", \"defaultVariant\": \"a\", \"variants\": {\"a\": 1, \"b\": \"two\"}}     | /variants/b      | type mismatch",
            "{\"state\": \"ENABLED\", \"defaultVariant\": \"a\", \"variants\": {\"a\": true, \"b\": [1]}}      | /variants/b      | boolean, string, number or object",
            "{\"state\": \"ENABLED\", \"defaultVariant\": \"c\", \"variants\": {\"a\": 1}}                    | /defaultVariant  | must name one of the variants",
            "{\"state\": \"ON\", \"defaultVariant\": \"a\", \"variants\": {\"a\": 1}}                         | /state           | ENABLED or DISABLED",
            "{\"state\": \"ENABLED\", \"defaultVariant\": \"a\", \"variants\": {}}                            | /variants        | 1 to 64",
            "{\"state\": \"ENABLED\", \"defaultVariant\": \"a\", \"variants\": {\"a\": 1}, \"owner\": \"x\"}   | /owner           | unknown field",
            "{\"state\": \"ENABLED\", \"defaultVariant\": \"a\", \"variants\": {\"a\": 1}, \"metadata\": {\"x\": {}}} | /metadata/x | strings, numbers or booleans",
            "[1, 2]                                                                                         | /                | a flag definition is an object",
    })
    void aDefinitionOutsideTheFormatIsRefusedWithItsPointer(String definition, String path, String rule) {
        assertThatThrownBy(() -> FlagDefinition.parse(json(definition), Map.of()))
                .isInstanceOfSatisfying(InvalidDefinition.class, refused -> {
                    assertThat(refused.path()).isEqualTo(path);
                    assertThat(refused.rule()).contains(rule);
                });
    }
}
