package dev.twostep.releasecontroller.rest;

import org.apache.commons.codec.digest.MurmurHash3;

import java.util.Arrays;

/** Strong ETags that are a hash of the answer itself, so an unchanged answer keeps its tag across replicas. */
final class ETags {

    private ETags() {
    }

    static String of(byte[] answer) {
        long[] hash = MurmurHash3.hash128x64(answer);
        return "\"" + Long.toHexString(hash[0]) + Long.toHexString(hash[1]) + "\"";
    }

    /** Whether an If-None-Match header names this tag (weakly or strongly) or any. */
    static boolean matches(String ifNoneMatch, String etag) {
        return ifNoneMatch != null && Arrays.stream(ifNoneMatch.split(",")).map(String::strip)
                .anyMatch(tag -> tag.equals(etag) || tag.equals("W/" + etag) || tag.equals("*"));
    }
}
