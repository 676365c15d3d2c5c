package dev.twostep.releasecontroller;

import dev.twostep.events.ReleaseEvent;
import dev.twostep.testing.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the default, high-precision bucketing, the flagd provider 0.11.15 (which buckets the pre-2026 way) still
 * answers as OFREP does wherever no split decides; where one does, it sends some users to other variants, which is
 * why an installation read by that provider chooses the legacy bucketing ({@link FlagdAgreementTest}).
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class FlagdAgreementWithTheCurrentBucketingTest {

    @Test
    void theProviderAgreesWhereNoSplitDecidesAndSplitsOtherwise() throws Exception {
        FlagdAgreement.Tally tally = FlagdAgreement.run(2_000);
        System.out.println("flagd agreement, current bucketing: " + tally.summary());

        assertThat(tally.otherDisagreements()).isEmpty();
        assertThat(tally.splits()).isPositive();
        assertThat(tally.splitDisagreements()).as("the schemes differ").isNotEmpty();
        assertThat(tally.bucketings()).containsExactly(ReleaseEvent.FLAGD_FRACTIONAL_100K);
    }
}
