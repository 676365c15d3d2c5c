package dev.twostep.releasecontroller.rest;

import dev.twostep.releasecontroller.apikey.ApiKeys;

import java.util.Optional;
import java.util.Set;

/**
 * The environments that the API key presented with a request may read ({@code Authorization: Bearer <key>} or
 * {@code X-API-Key}), or why it may read none: what OFREP and the flagd sync source both check first.
 */
record ApiKeyScope(Set<String> environments, String refusal) {

    static final String HEADER = "X-API-Key";

    static ApiKeyScope of(ApiKeys keys, String authorization, String apiKey) {
        String presented = apiKey != null ? apiKey.strip()
                : authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip() : null;
        if (presented == null || presented.isEmpty()) {
            return new ApiKeyScope(Set.of(), "an API key is required: Authorization: Bearer <key> or X-API-Key: <key>");
        }
        Optional<Set<String>> scope = keys.scopeOf(presented);
        return scope.map(environments -> new ApiKeyScope(environments, null))
                .orElseGet(() -> new ApiKeyScope(Set.of(), "the API key is unknown or revoked"));
    }

    boolean refused() {
        return refusal != null;
    }

    /** The one environment a key for exactly one may leave unnamed; null otherwise. */
    String onlyEnvironment() {
        return environments.size() == 1 ? environments.iterator().next() : null;
    }
}
