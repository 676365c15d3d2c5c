package dev.twostep.releasecontroller.release;

import dev.twostep.events.ReleaseEvent;
import org.apache.commons.codec.digest.MurmurHash3;

import java.nio.charset.StandardCharsets;

/**
 * The percentage bucketing named {@link ReleaseEvent#FLAGD_FRACTIONAL_100K}: flagd's high-precision
 * fractional scheme. A targeting key falls in one of 100,000 buckets, always the same one for the
 * same feature, so widening from 5 % to 25 % keeps the first 5 % in.
 */
public final class Bucketing {

    public static final int BUCKETS = 100_000;

    private Bucketing() {
    }

    /** {@code (murmur3_x86_32(utf8(featureKey + targetingKey), seed 0) unsigned * 100000) >>> 32}. */
    public static int bucket(String featureKey, String targetingKey) {
        return (int) bucket(featureKey, targetingKey, BUCKETS);
    }

    /**
     * The same hash spread over {@code total} buckets, as flagd's fractional spreads it over the sum of its weights;
     * {@code total} at most 2^31, so the product stays within a long.
     */
    public static long bucket(String featureKey, String targetingKey, long total) {
        // hash32x86(byte[]) is the x86_32 variant with seed 0 (unlike the deprecated hash32 methods).
        int hash = MurmurHash3.hash32x86((featureKey + targetingKey).getBytes(StandardCharsets.UTF_8));
        return ((hash & 0xFFFF_FFFFL) * total) >>> 32;
    }

    /** The number of buckets that are in: {@code round(percentage * 1000)}. */
    public static int bucketsIn(double percentage) {
        return (int) Math.round(percentage * 1000);
    }

    public static boolean isIn(String featureKey, String targetingKey, int bucketsIn) {
        return bucket(featureKey, targetingKey) < bucketsIn;
    }
}
