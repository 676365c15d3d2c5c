package dev.twostep.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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

    /** The rendered overlay; the calling test fails, saying how to get kubectl, where there is no suitable one. */
    static Manifests of(Overlay overlay) {
        Path kubectl = Kubectl.required();
        return RENDERED.computeIfAbsent(overlay, o -> new Manifests(o, parse(render(kubectl, o.directory()))));
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
            return Kubectl.run(kubectl, "kustomize", directory.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
