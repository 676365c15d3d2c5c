package dev.twostep.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What an overlay renders to, through the same {@code kubectl kustomize} that {@code kubectl apply -k}
 * runs. Each overlay renders once per test run.
 */
final class Manifests {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<Overlay, Manifests> RENDERED = new ConcurrentHashMap<>();

    private final Overlay overlay;
    private final List<KubeObject> objects;

    private Manifests(Overlay overlay, List<KubeObject> objects) {
        this.overlay = overlay;
        this.objects = List.copyOf(objects);
    }

    /** The rendered overlay; the calling test is skipped, saying why, where kubectl is not installed. */
    static Manifests of(Overlay overlay) {
        Optional<Path> kubectl = kubectl();
        Assumptions.assumeTrue(kubectl.isPresent(),
                "kubectl is not on the PATH: cannot render deploy/k8s/overlays/" + overlay
                        + " (install kubectl, which carries kustomize, to run these checks)");
        return RENDERED.computeIfAbsent(overlay, o -> new Manifests(o, parse(render(kubectl.get(), o.directory()))));
    }

    static List<KubeObject> parse(String yaml) {
        List<KubeObject> objects = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
            for (JsonNode node : YAML.readValues(parser, JsonNode.class).readAll()) {
                if (node != null && !node.isEmpty()) {
                    objects.add(new KubeObject(node));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    private static String render(Path kubectl, Path directory) {
        try {
            Path output = Files.createTempFile("kustomize-", ".yaml");
            Path errors = Files.createTempFile("kustomize-", ".err");
            try {
                Process process = new ProcessBuilder(kubectl.toString(), "kustomize", directory.toString())
                        .redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("kubectl kustomize " + directory + " took over 60 s");
                }
                if (process.exitValue() != 0) {
                    throw new AssertionError("kubectl kustomize " + directory + " failed:\n"
                            + Files.readString(errors, StandardCharsets.UTF_8));
                }
                return Files.readString(output, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(output);
                Files.deleteIfExists(errors);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while rendering " + directory, e);
        }
    }

    private static Optional<Path> kubectl() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    List<KubeObject> all() {
        return objects;
    }

    List<KubeObject> ofKind(String kind) {
        return objects.stream().filter(o -> o.kind().equals(kind)).toList();
    }

    List<KubeObject> where(Predicate<KubeObject> filter) {
        return objects.stream().filter(filter).toList();
    }

    Optional<KubeObject> find(String kind, String name) {
        return objects.stream().filter(o -> o.kind().equals(kind) && o.name().equals(name)).findFirst();
    }

    KubeObject get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError(overlay + " renders no " + kind + " " + name));
    }

    /** The one object of a kind that the platform has exactly one of (the Kafka, the PostgreSQL Cluster). */
    KubeObject single(String kind) {
        List<KubeObject> found = ofKind(kind);
        if (found.size() != 1) {
            throw new AssertionError(overlay + " renders " + found.size() + " objects of kind " + kind + ", not 1");
        }
        return found.getFirst();
    }
}
