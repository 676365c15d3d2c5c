package dev.twostep.releasecontroller.feature;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.releasecontroller.feature.Targeting.Choice;
import dev.twostep.releasecontroller.feature.Targeting.Facts;
import dev.twostep.releasecontroller.release.Bucketing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.Set;

import static dev.twostep.releasecontroller.feature.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JsonLogic subset: what each operation means, and what is refused with which JSON Pointer. */
class TargetingTest {

    private static final Set<String> VARIANTS = Set.of("red", "green", "blue");
    private static final Map<String, JsonNode> SEGMENTS = Map.of(
            "staff", json("{\"ends_with\": [{\"var\": \"email\"}, \"@example.com\"]}"),
            "eu", json("{\"in\": [{\"var\": \"country\"}, [\"de\", \"fr\", \"nl\"]]}"));

    private static Targeting compile(String targeting) {
        return Targeting.compile(json(targeting), VARIANTS, SEGMENTS, "/targeting");
    }

    private static String choose(String targeting, String context) {
        Choice choice = compile(targeting).choose(new Facts("flag", "user-1", json(context)),
                Bucketing.FLAGD_FRACTIONAL);
        return choice == null ? null : choice.variant();
    }

    private static String condition(String condition) {
        return "{\"if\": [" + condition + ", \"red\", \"blue\"]}";
    }

    @ParameterizedTest(name = "{0} on {1} is {2}")
    @CsvSource(delimiter = '|', value = {
            "{\"==\": [{\"var\": \"plan\"}, \"pro\"]}                     | {\"plan\": \"pro\"}          | true",
            "{\"==\": [{\"var\": \"plan\"}, \"pro\"]}                     | {}                          | false",
            "{\"==\": [{\"var\": \"seats\"}, 5]}                          | {\"seats\": 5.0}             | true",
            "{\"==\": [{\"var\": \"seats\"}, \"5\"]}                      | {\"seats\": 5}               | true",
            "{\"!=\": [{\"var\": \"plan\"}, \"pro\"]}                     | {\"plan\": \"free\"}         | true",
            "{\"in\": [{\"var\": \"country\"}, [\"de\", \"fr\"]]}         | {\"country\": \"fr\"}        | true",
            "{\"in\": [{\"var\": \"country\"}, [\"de\", \"fr\"]]}         | {\"country\": \"it\"}        | false",
            "{\"in\": [\"beta\", {\"var\": \"tags\"}]}                    | {\"tags\": \"alpha,beta\"}   | true",
            "{\"starts_with\": [{\"var\": \"email\"}, \"ops.\"]}          | {\"email\": \"ops.a@x.io\"}  | true",
            "{\"ends_with\": [{\"var\": \"email\"}, \"@x.io\"]}           | {\"email\": \"a@y.io\"}      | false",
            "{\"<\": [{\"var\": \"age\"}, 18]}                            | {\"age\": 17}                | true",
            "{\"<\": [{\"var\": \"age\"}, 18]}                            | {}                          | false",
            "{\"<=\": [18, {\"var\": \"age\"}, 65]}                       | {\"age\": 65}                | true",
            "{\">\": [{\"var\": \"age\"}, 18]}                            | {\"age\": 18}                | false",
            "{\">=\": [{\"var\": \"age\"}, 18]}                           | {\"age\": 18}                | true",
            "{\"sem_ver\": [{\"var\": \"v\"}, \">=\", \"2.1.0\"]}         | {\"v\": \"2.10.0\"}          | true",
            "{\"sem_ver\": [{\"var\": \"v\"}, \">=\", \"2.1.0\"]}         | {\"v\": \"2.1.0-rc.1\"}      | false",
            "{\"sem_ver\": [{\"var\": \"v\"}, \"^\", \"2.0.0\"]}          | {\"v\": \"2.9.1\"}           | true",
            "{\"sem_ver\": [{\"var\": \"v\"}, \"~\", \"2.1.0\"]}          | {\"v\": \"2.2.0\"}           | false",
            "{\"sem_ver\": [{\"var\": \"v\"}, \"=\", \"2.1.0\"]}          | {\"v\": \"not a version\"}   | false",
            "{\"and\": [{\"var\": \"beta\"}, {\"==\": [{\"var\": \"a.b\"}, 1]}]} | {\"beta\": true, \"a\": {\"b\": 1}} | true",
            "{\"or\": [false, {\"!\": {\"var\": \"beta\"}}]}                | {\"beta\": false}           | true",
            "{\"!\": [{\"$ref\": \"staff\"}]}                              | {\"email\": \"x@example.com\"} | false",
            "{\"$ref\": \"eu\"}                                           | {\"country\": \"nl\"}        | true",
            "{\"==\": [{\"var\": \"$flagd.flagKey\"}, \"flag\"]}          | {}                          | true",
            "{\"==\": [{\"var\": \"targetingKey\"}, \"user-1\"]}          | {}                          | true",
    })
    void eachOperationMeansWhatJsonLogicAndFlagdSay(String condition, String context, boolean holds) {
        assertThat(choose(condition(condition), context)).isEqualTo(holds ? "red" : "blue");
    }

    @Test
    void theFirstMatchingRuleWinsAndNoMatchMeansTheDefault() {
        String rules = "{\"if\": [{\"==\": [{\"var\": \"plan\"}, \"pro\"]}, \"green\", "
                + "{\"$ref\": \"staff\"}, \"red\", null]}";

        assertThat(choose(rules, "{\"plan\": \"pro\", \"email\": \"a@example.com\"}")).isEqualTo("green");
        assertThat(choose(rules, "{\"plan\": \"free\", \"email\": \"a@example.com\"}")).isEqualTo("red");
        assertThat(choose(rules, "{\"plan\": \"free\"}")).isNull();
    }

    @Test
    void aSplitBucketsByFlagKeyAndTargetingKeyAsAudiencesDo() {
        Targeting split = compile("{\"fractional\": [[\"red\", 25000], [\"blue\", 75000]]}");
        for (int i = 0; i < 2_000; i++) {
            String user = "user-" + i;
            Choice choice = split.choose(new Facts("flag", user, json("{}")), Bucketing.FLAGD_FRACTIONAL);
            assertThat(choice.split()).isTrue();
            assertThat(choice.variant())
                    .isEqualTo(Bucketing.FLAGD_FRACTIONAL.isIn("flag", user, 25_000) ? "red" : "blue");
        }
        assertThat(split.outcomes()).containsExactlyInAnyOrder("red", "blue");
        assertThatThrownBy(() -> split.choose(new Facts("flag", null, json("{}")), Bucketing.FLAGD_FRACTIONAL))
                .isInstanceOf(Targeting.TargetingKeyMissing.class);
    }

    @Test
    void theVariantsATargetingCanServeAreKnownWhenItIsWritten() {
        Targeting targeting = compile("{\"if\": [{\"var\": \"beta\"}, \"green\", "
                + "{\"fractional\": [[\"red\", 1], [\"blue\", 0]]}]}");

        assertThat(targeting.outcomes()).containsExactlyInAnyOrder("green", "red");
        assertThat(targeting.splits()).isTrue();
    }

    @ParameterizedTest(name = "{0} is refused at {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"if\": [{\"regex\": [{\"var\": \"email\"}, \"(a+)+$\"]}, \"red\"]}  | /targeting/if/0/regex       | unsupported operation \"regex\"",
            "{\"if\": [{\"var\": \"beta\"}, \"purple\"]}                       | /targeting/if/1             | not one of the flag's variants",
            "{\"if\": [{\"$ref\": \"nobody\"}, \"red\"]}                       | /targeting/if/0/$ref        | unknown segment \"nobody\"",
            "{\"cat\": [\"red\"]}                                              | /targeting/cat              | a targeting result must be",
            "{\"fractional\": [{\"var\": \"email\"}, [\"red\", 50], [\"blue\", 50]]} | /targeting/fractional/0 | bucketing expression",
            "{\"fractional\": [[\"red\", 0.5], [\"blue\", 50]]}                | /targeting/fractional/0/1   | integer",
            "{\"fractional\": [[\"red\", 0], [\"blue\", 0]]}                   | /targeting/fractional       | must not all be 0",
            "{\"if\": [{\"==\": [{\"var\": \"a\"}, {\"+\": [1, 2]}]}, \"red\"]} | /targeting/if/0/==/1        | not \"+\"",
            "{\"if\": [{\">\": [1, {\"var\": \"a\"}, 3]}, \"red\"]}             | /targeting/if/0/>           | takes 2 arguments",
            "{\"if\": [{\"sem_ver\": [{\"var\": \"v\"}, \"=~\", \"1.0.0\"]}, \"red\"]} | /targeting/if/0/sem_ver/1 | sem_ver operator",
            "{\"if\": [{\"sem_ver\": [{\"var\": \"v\"}, \"=\", \"1.0\"]}, \"red\"]}  | /targeting/if/0/sem_ver/2 | semantic version",
            "{\"if\": [{\"var\": \"$flagd.timestamp\"}, \"red\"]}              | /targeting/if/0/var         | $flagd.flagKey",
            "{\"if\": [{\"var\": [\"a\", \"fallback\"]}, \"red\"]}              | /targeting/if/0/var         | without a default",
            "{\"if\": [{\"var\": \"a\"}]}                                      | /targeting/if               | at least 2",
            "{\"if\": [{\"==\": [1, 1], \"!=\": [1, 2]}, \"red\"]}             | /targeting/if/0             | exactly one key",
    })
    void anythingOutsideTheSubsetIsRefusedWithItsPointerAndOperation(String targeting, String path, String rule) {
        assertThatThrownBy(() -> compile(targeting)).isInstanceOfSatisfying(InvalidDefinition.class, refused -> {
            assertThat(refused.path()).isEqualTo(path);
            assertThat(refused.rule()).contains(rule);
        });
    }

    @Test
    void nestingDeeperThanTheLimitIsRefusedWhereItGoesTooDeep() {
        String condition = "{\"var\": \"beta\"}";
        for (int i = 0; i < 200; i++) {
            condition = "{\"!\": [" + condition + "]}";
        }
        String deep = condition(condition);

        assertThatThrownBy(() -> compile(deep)).isInstanceOfSatisfying(InvalidDefinition.class, refused -> {
            assertThat(refused.rule()).contains("nested deeper than " + Targeting.MAX_DEPTH);
            assertThat(refused.path()).startsWith("/targeting/if/0/!/0/!/0");
            assertThat(refused.path().split("/!/").length).isEqualTo(Targeting.MAX_DEPTH);
        });
    }

    @Test
    void moreNodesThanTheLimitAreRefused() {
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < Targeting.MAX_NODES; i++) {
            list.append(i == 0 ? "" : ",").append('"').append("user-").append(i).append('"');
        }
        String huge = condition("{\"in\": [{\"var\": \"targetingKey\"}, " + list + "]]}");

        assertThatThrownBy(() -> compile(huge)).isInstanceOfSatisfying(InvalidDefinition.class, refused ->
                assertThat(refused.rule()).contains("more than " + Targeting.MAX_NODES + " nodes"));
    }

    @Test
    void aSegmentIsAConditionThatReferencesNoOtherSegment() {
        Targeting.checkSegment(json("{\"and\": [{\"var\": \"beta\"}, {\"in\": [{\"var\": \"c\"}, [\"de\"]]}]}"), "");

        assertThatThrownBy(() -> Targeting.checkSegment(json("{\"or\": [{\"$ref\": \"staff\"}]}"), ""))
                .isInstanceOfSatisfying(InvalidDefinition.class, refused -> {
                    assertThat(refused.path()).isEqualTo("/or/0/$ref");
                    assertThat(refused.rule()).contains("may not reference another segment");
                });
        assertThatThrownBy(() -> Targeting.checkSegment(json("\"red\""), ""))
                .isInstanceOfSatisfying(InvalidDefinition.class, refused -> assertThat(refused.path()).isEqualTo("/"));
    }
}
