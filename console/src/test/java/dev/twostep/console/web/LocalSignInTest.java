package dev.twostep.console.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local sign-in's guards and its persona list, without Quarkus. */
class LocalSignInTest {

    @Test
    void refusesToStartBesideAnotherIssuer(@TempDir Path directory) throws IOException {
        Path tokens = Files.writeString(directory.resolve("tokens.properties"), "alice=" + token("alice") + "\n");
        assertThatThrownBy(() -> new LocalSignIn(true, Optional.of(tokens), "https://idp.example.com/realms/twostep",
                false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("issuer 'https://idp.example.com/realms/twostep'");
    }

    @Test
    void refusesToStartBesideTheProvidersSignIn(@TempDir Path directory) throws IOException {
        Path tokens = Files.writeString(directory.resolve("tokens.properties"), "alice=" + token("alice") + "\n");
        assertThatThrownBy(() -> new LocalSignIn(true, Optional.of(tokens), LocalSignIn.LOCAL_ISSUER, true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("beside the OpenID Connect sign-in");
    }

    @Test
    void refusesToStartWithoutTheTokensFile() {
        assertThatThrownBy(() -> new LocalSignIn(true, Optional.empty(), LocalSignIn.LOCAL_ISSUER, false))
                .hasMessageContaining("TWOSTEP_TOKENS");
    }

    @Test
    void isOffByDefaultWhateverTheIssuer() {
        assertThat(new LocalSignIn(false, Optional.empty(), "https://idp.example.com/realms/twostep", true)
                .enabled())
                .isFalse();
    }

    @Test
    void listsEachPersonaWithTheRolesItsTokenCarries(@TempDir Path directory) throws IOException {
        Path tokens = Files.writeString(directory.resolve("tokens.properties"),
                "# written by ./twostep tokens\nalice=" + token("alice", "approver") + "\nbob="
                        + token("bob", "deployer", "approver") + "\n");
        LocalSignIn signIn = new LocalSignIn(true, Optional.of(tokens), LocalSignIn.LOCAL_ISSUER, false);

        assertThat(signIn.personas()).containsExactly(new LocalSignIn.Persona("alice", List.of("approver")),
                new LocalSignIn.Persona("bob", List.of("deployer", "approver")));
        assertThat(signIn.tokenOf("bob")).contains(token("bob", "deployer", "approver"));
        assertThat(signIn.tokenOf("mallory")).isEmpty();
    }

    /** An unsigned token of the right shape: the list only reads the payload, the console verifies at sign-in use. */
    private static String token(String subject, String... roles) {
        String payload = "{\"sub\":\"" + subject + "\",\"groups\":[" + String.join(",",
                java.util.Arrays.stream(roles).map(role -> "\"" + role + "\"").toList()) + "]}";
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return encoder.encodeToString("{\"alg\":\"none\"}".getBytes()) + "." + encoder.encodeToString(
                payload.getBytes()) + ".";
    }
}
