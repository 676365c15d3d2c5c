package dev.twostep.events;

import java.util.List;

/**
 * Who was given access to evaluate flags, published by the release-controller on {@link Topics#RELEASE_EVENTS} next
 * to the releases those keys read. The secret itself is never in an event: only the key's id, name and scope; the
 * envelope's actor says who issued or revoked it.
 */
public sealed interface AccessEvent extends TwostepEvent {

    /** An OFREP API key was issued; it may evaluate flags in these environments only. */
    record ApiKeyIssued(String keyId, String name, List<String> environments) implements AccessEvent {
        public ApiKeyIssued {
            Require.text(keyId, "keyId");
            Require.text(name, "name");
            environments = Require.list(environments);
        }

        @Override
        public String aggregateId() {
            return keyId;
        }
    }

    /** An OFREP API key was revoked; every replica refuses it from its next refresh on. */
    record ApiKeyRevoked(String keyId, String name) implements AccessEvent {
        public ApiKeyRevoked {
            Require.text(keyId, "keyId");
            Require.text(name, "name");
        }

        @Override
        public String aggregateId() {
            return keyId;
        }
    }
}
