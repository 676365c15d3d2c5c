package dev.twostep.releasecontroller.release;

import dev.openfeature.contrib.providers.flagd.resolver.process.targeting.Operator;
import dev.openfeature.contrib.providers.flagd.resolver.process.targeting.TargetingRuleException;
import dev.openfeature.sdk.ImmutableContext;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The legacy bucketing against the code it has to match: the {@code fractional} of OpenFeature's flagd provider for
 * Java 0.11.15, evaluated by the provider's own targeting {@link Operator}, over generated weights, flag keys and
 * targeting keys. Seeded, so a run is repeatable. (A {@code fractional} of one variant is left out: the provider
 * answers it with no match, Twostep with that variant; the README says so.)
 */
class BucketingProperties {

    private static final Operator FLAGD = new Operator();

    @Property(tries = 200, seed = "20261129")
    void theLegacyBucketingPutsEveryUserWhereTheFlagdProviderDoes(
            @ForAll @Size(min = 2, max = 6) List<@IntRange(min = 0, max = 100_000) Integer> weights,
            @ForAll @AlphaChars @Size(min = 1, max = 16) String flagKey) throws Exception {
        if (weights.stream().mapToInt(Integer::intValue).sum() == 0) {
            return;
        }
        String rule = IntStream.range(0, weights.size()).mapToObj(i -> "[\"v" + i + "\", " + weights.get(i) + "]")
                .collect(Collectors.joining(", ", "{\"fractional\": [", "]}"));
        long[] asLongs = weights.stream().mapToLong(Integer::longValue).toArray();
        for (int i = 0; i < 500; i++) {
            ImmutableContext user = new ImmutableContext("user-" + i);
            int chosen = Bucketing.FLAGD_FRACTIONAL_LEGACY.variantOf(flagKey, user.getTargetingKey(), asLongs);
            if (chosen == Bucketing.NONE) {
                assertThatThrownBy(() -> FLAGD.apply(flagKey, rule, user)).isInstanceOf(TargetingRuleException.class);
            } else {
                assertThat(FLAGD.apply(flagKey, rule, user)).as("%s for %s", rule, user.getTargetingKey())
                        .isEqualTo("v" + chosen);
            }
        }
    }

    /**
     * murmur3("flag" + "user-14686463") is 2147483593 (found by a search over user-N): as a float its share of
     * Integer.MAX_VALUE rounds to 1, so its bucket is 100.0, which no running sum of an exact split exceeds. The
     * provider finds no bucket and fails the evaluation; the legacy bucketing answers {@link Bucketing#NONE}. Read
     * unsigned, the same hash is just under half of 2^32: the first of two halves.
     */
    @Example
    void theTopBucketFallsInNoVariantAsInTheFlagdProvider() {
        String user = "user-14686463";
        long[] halves = {1, 1};

        assertThat(Bucketing.FLAGD_FRACTIONAL_LEGACY.variantOf("flag", user, halves)).isEqualTo(Bucketing.NONE);
        assertThatThrownBy(() -> FLAGD.apply("flag", "{\"fractional\": [[\"v0\", 1], [\"v1\", 1]]}",
                new ImmutableContext(user))).isInstanceOf(TargetingRuleException.class);
        assertThat(Bucketing.FLAGD_FRACTIONAL.variantOf("flag", user, halves)).as("integers leave no gap").isZero();
    }
}
