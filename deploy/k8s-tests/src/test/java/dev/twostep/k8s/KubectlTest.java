package dev.twostep.k8s;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A missing or too old kubectl fails the manifest tests with the way to get one, instead of skipping them. */
class KubectlTest {

    private static final String DEBIAN_KUBERNETES_CLIENT = """
            {"clientVersion": {"major": "1", "minor": "20", "gitVersion": "v1.20.15"}}""";

    @Test
    void failsSayingHowToGetKubectlWhereNoneIsOnThePath(@TempDir Path emptyDirectory) {
        Kubectl.Resolution resolution = Kubectl.resolve(emptyDirectory.toString());

        assertThatThrownBy(resolution::pathOrFail).isInstanceOf(AssertionError.class)
                .hasMessageContaining("kubectl is not on the PATH")
                .hasMessageContaining("kubectl 1.27 or newer")
                .hasMessageContaining("https://kubernetes.io/docs/tasks/tools/");
    }

    @Test
    void refusesDebiansKubernetesClientAsTooOld(@TempDir Path directory) throws IOException {
        Path kubectl = fakeKubectl(directory, DEBIAN_KUBERNETES_CLIENT);

        Kubectl.Resolution resolution = Kubectl.resolve(directory.toString());

        assertThatThrownBy(resolution::pathOrFail).isInstanceOf(AssertionError.class)
                .hasMessageContaining(kubectl + " is v1.20.15, too old")
                .hasMessageContaining("Debian's kubernetes-client package (1.20) is too old");
    }

    @Test
    void acceptsTheFirstVersionWithKustomizeFiveAndVendorBuildsMarkedWithAPlus(@TempDir Path directory) {
        Path kubectl = directory.resolve("kubectl");

        assertThat(Kubectl.checkVersion(kubectl, """
                {"clientVersion": {"major": "1", "minor": "27", "gitVersion": "v1.27.0"}}""").path()).contains(kubectl);
        assertThat(Kubectl.checkVersion(kubectl, """
                {"clientVersion": {"major": "1", "minor": "32+", "gitVersion": "v1.32.4-dispatcher"}}""").path())
                .contains(kubectl);
        assertThat(Kubectl.checkVersion(kubectl, """
                {"clientVersion": {"major": "1", "minor": "26", "gitVersion": "v1.26.9"}}""").path()).isEmpty();
    }

    @Test
    void refusesAKubectlThatPrintsNoVersion(@TempDir Path directory) throws IOException {
        fakeKubectl(directory, "Client Version: v1.32.4");

        assertThatThrownBy(Kubectl.resolve(directory.toString())::pathOrFail).isInstanceOf(AssertionError.class)
                .hasMessageContaining("printed no version as JSON");
    }

    /** An executable kubectl that prints the given text for any arguments, as a real process would. */
    private static Path fakeKubectl(Path directory, String output) throws IOException {
        Path answer = Files.writeString(directory.resolve("answer"), output);
        Path kubectl = directory.resolve("kubectl");
        Files.writeString(kubectl, "#!/bin/sh\ncat '" + answer + "'\n");
        Files.setPosixFilePermissions(kubectl, PosixFilePermissions.fromString("rwxr-xr-x"));
        return kubectl;
    }
}
