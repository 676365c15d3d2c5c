package dev.twostep.k8s;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's local sign-in (pick a local persona's token) can never be on in production by accident: the prod
 * overlay names neither its switch nor the local tokens file anywhere (no env, ConfigMap, Secret or argument), and the
 * console's own default is off with no profile that turns it on. Only {@code ./twostep up} sets the switch; and a
 * console that verifies another issuer's tokens refuses to start with it (console's {@code LocalSignInTest}).
 */
class ConsoleLocalSignInTest {

    private static final List<String> SWITCHES = List.of("TWOSTEP_CONSOLE_LOCAL_SIGN_IN",
            "twostep.console.local-sign-in", "TWOSTEP_TOKENS", "twostep.tokens");

    @Test
    void theProdOverlayNamesNeitherTheLocalSignInNorTheLocalTokens() {
        for (KubeObject object : Manifests.of(Overlay.PROD).all()) {
            String text = object.json().toString();
            for (String name : SWITCHES) {
                assertThat(text).as("%s in the prod overlay", object).doesNotContainIgnoringCase(name);
            }
        }
    }

    @Test
    void theConsoleDefaultsToTheLocalSignInOffInEveryProfile() throws IOException {
        List<String> settings = Files.readAllLines(Repository.root()
                        .resolve("console/src/main/resources/application.properties")).stream()
                .filter(line -> line.contains("twostep.console.local-sign-in")).toList();
        assertThat(settings).containsExactly("twostep.console.local-sign-in=false");
    }

    @Test
    void onlyTheLocalEntryPointSwitchesItOn() throws IOException {
        assertThat(Files.readString(Repository.root().resolve("twostep")))
                .contains("TWOSTEP_CONSOLE_LOCAL_SIGN_IN=\"${TWOSTEP_CONSOLE_LOCAL_SIGN_IN:-true}\"");
    }
}
