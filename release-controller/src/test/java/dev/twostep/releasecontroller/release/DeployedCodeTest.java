package dev.twostep.releasecontroller.release;

import dev.twostep.releasecontroller.release.DeployedCode.Presence;
import dev.twostep.releasecontroller.release.DeployedCode.RunningVersion;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DeployedCodeTest {

    private static RunningVersion seen(String application, String version, String... features) {
        return new RunningVersion(application, version, Optional.of(List.of(features)));
    }

    private static RunningVersion unseen(String application, String version) {
        return new RunningVersion(application, version, Optional.empty());
    }

    @Test
    void aFeatureIsDeployedWhereARunningVersionContainsIt() {
        DeployedCode prod = new DeployedCode("prod", List.of(seen("shop", "1.0", "one-click"), seen("cart", "2.0")));
        assertThat(prod.presenceOf("one-click", "shop")).isEqualTo(Presence.DEPLOYED);
        assertThat(prod.containing("one-click")).extracting(RunningVersion::version).containsExactly("1.0");
        assertThat(prod.presenceOf("dark-mode", "shop")).isEqualTo(Presence.ABSENT);
        assertThat(new DeployedCode("dev", List.of()).presenceOf("one-click", "shop")).isEqualTo(Presence.ABSENT);
    }

    @Test
    void anUnseenVersionOfTheFeaturesApplicationLeavesItUnknownButOtherApplicationsDoNot() {
        DeployedCode prod = new DeployedCode("prod", List.of(unseen("shop", "1.1"), seen("cart", "2.0")));
        assertThat(prod.presenceOf("one-click", "shop")).isEqualTo(Presence.UNKNOWN);
        assertThat(prod.presenceOf("one-click", "billing")).isEqualTo(Presence.ABSENT);
        assertThat(prod.presenceOf("one-click", null)).as("application not known").isEqualTo(Presence.UNKNOWN);
    }
}
