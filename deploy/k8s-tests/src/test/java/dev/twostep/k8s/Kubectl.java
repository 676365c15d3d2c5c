package dev.twostep.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kubectl that renders the overlays. It is required, not optional: a test that skipped where kubectl is
 * missing left CI green with every manifest check unrun (issue 23, finding 3), so a missing or too old kubectl
 * fails each manifest test with the way to get a suitable one.
 */
final class Kubectl {

    /**
     * The first kubectl that embeds kustomize v5, the version these overlays are written and checked with; 1.21 to
     * 1.26 embed v4, and Debian's kubernetes-client (1.20) embeds v2, which knows neither {@code labels} nor
     * {@code patches} in a kustomization.
     */
    static final int MINIMUM_MINOR = 27;

    static final String HOW_TO_GET_IT = "install kubectl 1.27 or newer, which carries kustomize v5"
            + " (https://kubernetes.io/docs/tasks/tools/); Debian's kubernetes-client package (1.20) is too old";

    private static final Pattern LEADING_NUMBER = Pattern.compile("^(\\d+)");

    /** Resolved once per run, so that each of the hundred manifest tests fails at once with the same reason. */
    private static volatile Resolution resolution;

    private Kubectl() {
    }

    /** The path of a suitable kubectl; an {@link AssertionError} saying how to get one where there is none. */
    static Path required() {
        Resolution known = resolution;
        if (known == null) {
            known = resolve(System.getenv().getOrDefault("PATH", ""));
            resolution = known;
        }
        return known.pathOrFail();
    }

    /** Finds kubectl on the given search path and checks its version; {@code required()} with a PATH of choice. */
    static Resolution resolve(String searchPath) {
        Optional<Path> found = onPath(searchPath);
        if (found.isEmpty()) {
            return Resolution.refused("kubectl is not on the PATH (" + searchPath + "), so deploy/k8s cannot be"
                    + " rendered and checked: " + HOW_TO_GET_IT);
        }
        Path kubectl = found.get();
        String versionJson;
        try {
            versionJson = run(kubectl, "version", "--client", "-o", "json");
        } catch (IOException | AssertionError e) {
            return Resolution.refused(kubectl + " does not answer 'version --client -o json' (" + e.getMessage()
                    + "): " + HOW_TO_GET_IT);
        }
        return checkVersion(kubectl, versionJson);
    }

    /** Accepts a kubectl whose client version, as {@code kubectl version --client -o json} prints it, is recent. */
    static Resolution checkVersion(Path kubectl, String versionJson) {
        JsonNode client;
        try {
            client = new ObjectMapper().readTree(versionJson).path("clientVersion");
        } catch (IOException e) {
            return Resolution.refused(kubectl + " printed no version as JSON: " + HOW_TO_GET_IT);
        }
        String gitVersion = client.path("gitVersion").asText("unknown");
        Optional<Integer> major = leadingNumber(client.path("major").asText());
        // Vendor builds print the minor as "32+".
        Optional<Integer> minor = leadingNumber(client.path("minor").asText());
        if (major.isEmpty() || minor.isEmpty()) {
            return Resolution.refused(kubectl + " printed no client version (" + gitVersion + "): " + HOW_TO_GET_IT);
        }
        if (major.get() < 1 || (major.get() == 1 && minor.get() < MINIMUM_MINOR)) {
            return Resolution.refused(kubectl + " is " + gitVersion + ", too old to render deploy/k8s: "
                    + HOW_TO_GET_IT);
        }
        return Resolution.accepted(kubectl);
    }

    private static Optional<Integer> leadingNumber(String text) {
        Matcher matcher = LEADING_NUMBER.matcher(text);
        return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
    }

    private static Optional<Path> onPath(String searchPath) {
        for (String dir : searchPath.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Runs kubectl and returns its standard output; an {@link AssertionError} with its errors if it fails. */
    static String run(Path kubectl, String... arguments) throws IOException {
        String[] command = new String[arguments.length + 1];
        command[0] = kubectl.toString();
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        Path output = Files.createTempFile("kubectl-", ".out");
        Path errors = Files.createTempFile("kubectl-", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " took over 60 s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed:\n"
                        + Files.readString(errors, StandardCharsets.UTF_8));
            }
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", command), e);
        } finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(errors);
        }
    }

    /** A usable kubectl, or the reason there is none. */
    record Resolution(Optional<Path> path, String refusal) {

        static Resolution accepted(Path kubectl) {
            return new Resolution(Optional.of(kubectl), "");
        }

        static Resolution refused(String reason) {
            return new Resolution(Optional.empty(), reason);
        }

        Path pathOrFail() {
            return path.orElseThrow(() -> new AssertionError(refusal));
        }
    }
}
