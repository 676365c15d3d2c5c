package dev.twostep.releasecontroller.release;

import dev.twostep.events.ReleaseEvent;
import org.apache.commons.codec.digest.MurmurHash3;

import java.nio.charset.StandardCharsets;

/**
 * How a targeting key falls into a percentage or into one of a split's variants: one of flagd's two fractional
 * schemes. Both hash {@code utf8(featureKey + targetingKey)} with murmur3_x86_32 (seed 0), always the same way for
 * the same feature, and walk the variants' weights in order: a user gets the first variant whose running share
 * exceeds the user's bucket. An audience at p % is the split {@code [[on, p·1000], [off, 100000 − p·1000]]}.
 *
 * <p>Every release names the scheme it was made with ({@link #eventName()} on its event) and is evaluated by that
 * one; the installation's choice ({@code twostep.release.bucketing}) only decides what a new release takes. Both are
 * monotone where Twostep widens: growing a variant's weight by what a variant <em>after</em> it gives up, with the
 * total unchanged, leaves the variants before it, so the start of its range, as they were and only moves its end
 * up. Audiences list {@code on} first and rollouts their treatment first, so widening keeps everyone in.
 */
public enum Bucketing {

    /**
     * flagd's high-precision scheme, flagd's since 2026: the hash read unsigned and spread over the sum of the weights,
     * {@code bucket = (h * total) >>> 32}, in integers throughout. With weights over 100,000 the bucket is in
     * [0, 100000) and a user is in at p % when {@code bucket < round(p * 1000)}.
     */
    FLAGD_FRACTIONAL(ReleaseEvent.FLAGD_FRACTIONAL_100K) {
        @Override
        public int variantOf(String featureKey, String targetingKey, long[] weights) {
            long bucket = bucket(featureKey, targetingKey, total(weights));
            long upTo = 0;
            for (int i = 0; i < weights.length; i++) {
                upTo += weights[i];
                if (bucket < upTo) {
                    return i;
                }
            }
            return NONE;
        }

        /** The split's first variant without building the split: OFREP asks this for every percentage audience. */
        @Override
        public boolean isIn(String featureKey, String targetingKey, int bucketsIn) {
            return bucket(featureKey, targetingKey) < bucketsIn;
        }
    },

    /**
     * flagd's scheme before 2026, which OpenFeature's flagd provider for Java still implements up to 0.11.15 (its
     * {@code Fractional.distributeValue}), operation for operation in its float arithmetic, so that the same user
     * gets the same variant to the last rounding: the hash read signed, {@code bucket = |h| * 1.0f /
     * Integer.MAX_VALUE * 100}, against running sums of {@code weight * 100 / (float) total}. Two edges come with
     * it: {@code |Integer.MIN_VALUE|} stays negative, so that one hash goes to the first variant whatever its
     * weight; and where rounding leaves the last running sum below a bucket near 100, no variant takes the user
     * ({@link #NONE}), for whom the provider answers the flag's default.
     */
    FLAGD_FRACTIONAL_LEGACY(ReleaseEvent.FLAGD_FRACTIONAL_LEGACY) {
        @Override
        public int variantOf(String featureKey, String targetingKey, long[] weights) {
            float bucket = Math.abs(hash(featureKey, targetingKey)) * 1.0f / Integer.MAX_VALUE * 100;
            long total = total(weights);
            float upTo = 0;
            for (int i = 0; i < weights.length; i++) {
                upTo += weights[i] == 0 ? 0 : weights[i] * 100 / (float) total;
                if (bucket < upTo) {
                    return i;
                }
            }
            return NONE;
        }
    };

    /** {@link #variantOf}'s answer when no variant's range holds the user's bucket. */
    public static final int NONE = -1;
    /** An audience's percentage in thousandths: the weights of its split add up to this. */
    public static final int BUCKETS = 100_000;

    private final String eventName;

    Bucketing(String eventName) {
        this.eventName = eventName;
    }

    /** The name on release events; also in OFREP's and the flagd export's metadata. */
    public String eventName() {
        return eventName;
    }

    /**
     * The scheme an event names. Events written before the name was there (null) were made with the only scheme
     * Twostep had then, the high-precision one.
     */
    public static Bucketing named(String eventName) {
        if (eventName == null) {
            return FLAGD_FRACTIONAL;
        }
        for (Bucketing bucketing : values()) {
            if (bucketing.eventName.equals(eventName)) {
                return bucketing;
            }
        }
        throw new IllegalArgumentException("unknown bucketing " + eventName);
    }

    /**
     * The index of the variant the user falls in, given the variants' weights in order (not all 0), or
     * {@link #NONE}.
     */
    public abstract int variantOf(String featureKey, String targetingKey, long[] weights);

    /** Whether the user is in an audience of {@code bucketsIn} thousandths of a percent: the split's first variant. */
    public boolean isIn(String featureKey, String targetingKey, int bucketsIn) {
        return variantOf(featureKey, targetingKey, new long[] {bucketsIn, BUCKETS - bucketsIn}) == 0;
    }

    /** The high-precision bucket in [0, 100000): {@code (murmur3_x86_32 unsigned * 100000) >>> 32}. */
    public static int bucket(String featureKey, String targetingKey) {
        return (int) bucket(featureKey, targetingKey, BUCKETS);
    }

    /**
     * The same hash spread over {@code total} buckets, as flagd's high-precision fractional spreads it over the sum
     * of its weights; {@code total} at most 2^31, so the product stays within a long.
     */
    public static long bucket(String featureKey, String targetingKey, long total) {
        return ((hash(featureKey, targetingKey) & 0xFFFF_FFFFL) * total) >>> 32;
    }

    /** The number of buckets that are in: {@code round(percentage * 1000)}. */
    public static int bucketsIn(double percentage) {
        return (int) Math.round(percentage * 1000);
    }

    private static int hash(String featureKey, String targetingKey) {
        // hash32x86(byte[]) is the x86_32 variant with seed 0 (unlike the deprecated hash32 methods).
        return MurmurHash3.hash32x86((featureKey + targetingKey).getBytes(StandardCharsets.UTF_8));
    }

    private static long total(long[] weights) {
        long total = 0;
        for (long weight : weights) {
            total += weight;
        }
        return total;
    }
}
