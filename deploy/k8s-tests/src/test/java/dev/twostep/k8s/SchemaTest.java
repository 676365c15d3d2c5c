package dev.twostep.k8s;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every overlay renders, and every rendered object is one that an API server with the operators would accept. */
class SchemaTest {

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void everyCoreObjectMatchesTheKubernetesApi(Overlay overlay) {
        List<String> problems = new ArrayList<>();
        for (KubeObject object : Manifests.of(overlay).where(KubernetesApiSchema::covers)) {
            KubernetesApiSchema.problems(object).forEach(problem -> problems.add(object + ": " + problem));
        }
        assertThat(problems).as("objects of %s that Kubernetes %s would refuse", overlay,
                KubernetesApiSchema.KUBERNETES_VERSION).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void everyCustomResourceMatchesItsCrd(Overlay overlay) {
        List<String> problems = new ArrayList<>();
        for (KubeObject object : Manifests.of(overlay).where(CustomResourceSchemas::covers)) {
            CustomResourceSchemas.problems(object).forEach(problem -> problems.add(object + ": " + problem));
            KubernetesApiSchema.metadataProblems(object).forEach(problem -> problems.add(object + " metadata: " + problem));
        }
        assertThat(problems).as("custom resources of %s that their CRD schema refuses", overlay).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void everyObjectHasASchemaToCheckItAgainst(Overlay overlay) {
        assertThat(Manifests.of(overlay).all())
                .as("objects of %s that neither the Kubernetes API models nor a CRD under schemas/ describe", overlay)
                .allMatch(object -> KubernetesApiSchema.covers(object) || CustomResourceSchemas.covers(object));
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void namespacedObjectsAreInTheOverlaysNamespaces(Overlay overlay) {
        assertThat(Manifests.of(overlay).all())
                .filteredOn(object -> !object.kind().equals("Namespace"))
                .allSatisfy(object -> assertThat(Manifests.of(overlay).find("Namespace", object.namespace()))
                        .as("%s is in a namespace that %s creates", object, overlay).isPresent());
    }
}
