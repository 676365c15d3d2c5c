package dev.twostep.releasecontroller;

import dev.twostep.events.ReleaseEvent;
import dev.twostep.testing.RealInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenFeature flagd provider for Java 0.11.15 in in-process mode, reading Twostep's flagd export, answers what
 * Twostep's OFREP answers for every one of 10,000 generated contexts over rules, segments and splits, on value and
 * variant, when the installation buckets as that provider does ({@code twostep.release.bucketing =
 * flagd-fractional-legacy}): splits included. The export is valid against the flagd schemas in the provider's jar.
 */
@QuarkusTest
@TestProfile(FlagdAgreementTest.LegacyBucketing.class)
class FlagdAgreementTest {

    private static final int CONTEXTS = 10_000;

    public static class LegacyBucketing implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("twostep.release.bucketing", "flagd-fractional-legacy");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RealInfrastructure.class));
        }
    }

    @Test
    void theFlagdProviderInProcessAnswersAsOfrepDoesSplitsIncludedWithTheLegacyBucketing() throws Exception {
        FlagdAgreement.Tally tally = FlagdAgreement.run(CONTEXTS);
        System.out.println("flagd agreement, legacy bucketing: " + tally.summary());

        assertThat(tally.otherDisagreements()).isEmpty();
        assertThat(tally.splitDisagreements()).isEmpty();
        assertThat(tally.splitsAgreeing()).isEqualTo(tally.splits()).isGreaterThan(CONTEXTS);
        assertThat(tally.compared()).isGreaterThanOrEqualTo(6 * CONTEXTS);
        assertThat(tally.reasons().keySet()).contains("STRING TARGETING_MATCH", "STRING SPLIT", "STRING DEFAULT",
                "INTEGER SPLIT", "DOUBLE TARGETING_MATCH", "OBJECT SPLIT", "BOOLEAN SPLIT", "BOOLEAN DEFAULT");
        assertThat(tally.bucketings()).as("what OFREP and the export name").containsExactly(
                ReleaseEvent.FLAGD_FRACTIONAL_LEGACY);
    }
}
