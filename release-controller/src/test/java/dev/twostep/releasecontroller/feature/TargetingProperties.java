package dev.twostep.releasecontroller.feature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twostep.releasecontroller.feature.Targeting.Choice;
import dev.twostep.releasecontroller.feature.Targeting.Facts;
import dev.twostep.releasecontroller.release.Bucketing;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Properties of targeting over generated rules, splits and contexts. Seeded, so a run is repeatable; jqwik prints
 * the seed and the shrunk example of a failure.
 */
class TargetingProperties {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> VARIANTS = List.of("v0", "v1", "v2", "v3", "v4");
    private static final List<String> PLANS = List.of("free", "pro", "team", "enterprise");

    /** One rule: the plan it matches and the variant it serves. */
    record Rule(String plan, String variant) {
    }

    @Provide
    Arbitrary<List<Rule>> rules() {
        return Combinators.combine(Arbitraries.of(PLANS), Arbitraries.of(VARIANTS)).as(Rule::new).list().ofMinSize(1)
                .ofMaxSize(8);
    }

    @Property(tries = 300, seed = "20261129")
    void theFirstMatchingRuleWins(@ForAll("rules") List<Rule> rules, @ForAll("plan") String plan) {
        ArrayNode chain = NODES.arrayNode();
        for (Rule rule : rules) {
            ObjectNode equals = NODES.objectNode();
            equals.putArray("==").add(NODES.objectNode().put("var", "plan")).add(rule.plan());
            chain.add(equals).add(rule.variant());
        }
        ObjectNode targeting = NODES.objectNode();
        targeting.set("if", chain);
        Choice choice = Targeting.compile(targeting, Set.copyOf(VARIANTS), Map.of(), "/targeting")
                .choose(new Facts("flag", "user", NODES.objectNode().put("plan", plan)), Bucketing.FLAGD_FRACTIONAL);

        String expected = rules.stream().filter(rule -> rule.plan().equals(plan)).map(Rule::variant).findFirst()
                .orElse(null);
        assertThat(choice == null ? null : choice.variant()).isEqualTo(expected);
    }

    @Provide
    Arbitrary<String> plan() {
        return Arbitraries.of(PLANS);
    }

    private static Targeting split(List<Integer> weights) {
        ArrayNode entries = NODES.arrayNode();
        for (int i = 0; i < weights.size(); i++) {
            entries.add(NODES.arrayNode().add(VARIANTS.get(i)).add(weights.get(i)));
        }
        ObjectNode targeting = NODES.objectNode();
        targeting.set("fractional", entries);
        return Targeting.compile(targeting, Set.copyOf(VARIANTS), Map.of(), "/targeting");
    }

    /**
     * Every user lands in exactly one variant with a weight, and over 20,000 users each variant's share is within
     * five standard deviations of its weight's share: the shares add up to the whole, by either bucketing.
     */
    @Property(tries = 40, seed = "20261129")
    void aSplitsSharesAddUp(@ForAll @Size(min = 2, max = 5) List<@IntRange(min = 0, max = 100_000) Integer> weights,
                            @ForAll Bucketing bucketing) {
        long total = weights.stream().mapToLong(Integer::longValue).sum();
        if (total == 0) {
            return;
        }
        Targeting split = split(weights);
        int users = 20_000;
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < users; i++) {
            Choice choice = split.choose(new Facts("flag", "user-" + i, NODES.objectNode()), bucketing);
            assertThat(choice).as("user-%d's variant", i).isNotNull();
            assertThat(choice.split()).isTrue();
            counts.merge(choice.variant(), 1, Integer::sum);
        }
        assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(users);
        for (int i = 0; i < weights.size(); i++) {
            double share = weights.get(i) / (double) total;
            int count = counts.getOrDefault(VARIANTS.get(i), 0);
            if (weights.get(i) == 0) {
                assertThat(count).isZero();
            } else {
                double sigma = Math.sqrt(users * share * (1 - share));
                assertThat(Math.abs(count - users * share)).isLessThanOrEqualTo(5 * sigma + 1);
            }
        }
    }

    /**
     * Growing a variant's weight by what the last variant gives up never moves one of its users out of it: the
     * variants before it keep their weights and the total stays, so the variant's interval of buckets only grows at
     * its upper end, in the legacy bucketing's float sums as in the high-precision integers. This is how a rollout
     * widens its treatment, which it lists first.
     */
    @Property(tries = 200, seed = "20261129")
    void growingAVariantsShareNeverMovesAUserOutOfIt(
            @ForAll @Size(min = 2, max = 5) List<@IntRange(min = 0, max = 20_000) Integer> weights,
            @ForAll @IntRange(min = 0, max = 3) int grown, @ForAll @IntRange(min = 0, max = 20_000) int by,
            @ForAll Bucketing bucketing) {
        int last = weights.size() - 1;
        int variant = Math.min(grown, last - 1);
        int moved = Math.min(by, weights.get(last));
        if (weights.stream().mapToInt(Integer::intValue).sum() == 0) {
            return;
        }
        List<Integer> wider = IntStream.range(0, weights.size()).mapToObj(i -> i == variant ? weights.get(i) + moved
                : i == last ? weights.get(i) - moved : weights.get(i)).toList();
        Targeting before = split(weights);
        Targeting after = split(wider);
        for (int i = 0; i < 3_000; i++) {
            Facts user = new Facts("flag", "user-" + i, NODES.objectNode());
            Choice was = before.choose(user, bucketing);
            if (was != null && was.variant().equals(VARIANTS.get(variant))) {
                assertThat(after.choose(user, bucketing)).extracting(Choice::variant).isEqualTo(VARIANTS.get(variant));
            }
        }
    }

    @Property(tries = 200, seed = "20261129")
    void aRuleThatReferencesAnUnknownSegmentIsRefusedWhenWritten(
            @ForAll @Size(max = 6) Set<@net.jqwik.api.constraints.AlphaChars @Size(min = 1, max = 8) String> known,
            @ForAll @net.jqwik.api.constraints.AlphaChars @Size(min = 1, max = 8) String referenced) {
        if (known.contains(referenced)) {
            return;
        }
        Map<String, JsonNode> segments = new HashMap<>();
        known.forEach(name -> segments.put(name, NODES.booleanNode(true)));
        ObjectNode reference = NODES.objectNode().put("$ref", referenced);
        ObjectNode targeting = NODES.objectNode();
        targeting.putArray("if").add(reference).add("v1");

        assertThatThrownBy(() -> Targeting.compile(targeting, Set.copyOf(VARIANTS), segments, "/targeting"))
                .isInstanceOfSatisfying(InvalidDefinition.class, refused -> {
                    assertThat(refused.path()).isEqualTo("/targeting/if/0/$ref");
                    assertThat(refused.rule()).contains("unknown segment \"" + referenced + "\"");
                });
    }
}
