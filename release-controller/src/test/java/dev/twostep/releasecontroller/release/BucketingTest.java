package dev.twostep.releasecontroller.release;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class BucketingTest {

    /**
     * Known answers computed with an independent implementation, Python's {@code mmh3} 5.3.0:
     * {@code h = mmh3.hash((featureKey + targetingKey).encode("utf-8"), 0, signed=False)} and
     * {@code bucket = (h * 100000) >> 32}.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "new-checkout | user-1          | 45498",
            "new-checkout | user-2          | 22979",
            "dark-mode    | alice           | 69513",
            "dark-mode    | ''              | 56739",
            "flag         | bob@example.com | 77212",
            "ünïcode      | ключ            | 91417",
            "a            | ''              | 23494"})
    void bucketsMatchAnIndependentMurmur3x86_32(String featureKey, String targetingKey, int bucket) {
        assertThat(Bucketing.bucket(featureKey, targetingKey)).isEqualTo(bucket);
    }

    @Test
    void aHashAboveTwoToThe31IsReadUnsigned() {
        // mmh3 gives 2985581280 (> 2^31) for "dark-modealice"; read signed it would give a negative bucket.
        assertThat(Bucketing.bucket("dark-mode", "alice")).isEqualTo(69513);
    }

    @Test
    void thresholdsAreThePercentageInThousandths() {
        assertThat(Bucketing.bucketsIn(0)).isZero();
        assertThat(Bucketing.bucketsIn(0.001)).isEqualTo(1);
        assertThat(Bucketing.bucketsIn(5)).isEqualTo(5_000);
        assertThat(Bucketing.bucketsIn(33.333)).isEqualTo(33_333);
        assertThat(Bucketing.bucketsIn(100)).isEqualTo(Bucketing.BUCKETS);
    }

    @ParameterizedTest
    @EnumSource(Bucketing.class)
    void wideningKeepsEveryoneWhoWasInAndTheShareFollowsThePercentage(Bucketing bucketing) {
        String feature = "new-checkout";
        double[] steps = {1, 5, 25, 50, 100};
        boolean[] wasIn = new boolean[100_000];
        for (double step : steps) {
            int threshold = Bucketing.bucketsIn(step);
            boolean[] isIn = new boolean[wasIn.length];
            IntStream.range(0, wasIn.length).forEach(i -> isIn[i] = bucketing.isIn(feature, "user-" + i, threshold));
            long in = IntStream.range(0, isIn.length).filter(i -> isIn[i]).count();
            for (int i = 0; i < wasIn.length; i++) {
                if (wasIn[i]) {
                    assertThat(isIn[i]).as("user-%d was in before widening to %s%%", i, step).isTrue();
                }
            }
            // 100,000 keys: the share is within half a percentage point of the step.
            assertThat(in / 1000.0).isCloseTo(step, org.assertj.core.data.Offset.offset(0.5));
            System.arraycopy(isIn, 0, wasIn, 0, isIn.length);
        }
    }

    @Test
    void featuresBucketTheSameKeyIndependently() {
        long sameBucketInBothFeatures = IntStream.range(0, 1000)
                .filter(i -> Bucketing.bucket("f1", "u" + i) == Bucketing.bucket("f2", "u" + i)).count();
        assertThat(sameBucketInBothFeatures).isLessThan(5);
    }
}
