package dev.twostep.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The deploy-orchestrator may do to Deployments in its target namespaces exactly what its Kubernetes target does. */
class DeployOrchestratorRbacTest {

    private static final String SERVICE = "deploy-orchestrator";

    /** What the orchestrator is granted: read and patch Deployments, and follow their rollouts. */
    private static final Set<String> GRANTED = Set.of("get", "list", "watch", "patch");

    /** The API verbs each fabric8 operation on a Deployment resource issues. */
    private static final Map<String, Set<String>> VERBS = Map.of(
            "get", Set.of("get"),
            "edit", Set.of("get", "patch"),
            "patch", Set.of("patch"),
            "list", Set.of("list"),
            "watch", Set.of("watch"),
            "inform", Set.of("list", "watch"),
            "waitUntilCondition", Set.of("list", "watch"),
            "waitUntilReady", Set.of("list", "watch"));

    /** Calls that only narrow which Deployment an operation is for. */
    private static final Set<String> NAVIGATION = Set.of("inNamespace", "withName", "withLabel", "withLabels",
            "inAnyNamespace", "withField", "withFields", "withTimeout");

    private static final Pattern DEPLOYMENT_RESOURCE = Pattern.compile("(\\.deployments\\(\\)|\\bdeployment\\(\\w+\\))");
    private static final Pattern NEXT_CALL = Pattern.compile("\\G\\s*\\.\\s*(\\w+)\\(");

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void itIsBoundInEveryTargetNamespaceToExactlyGetListWatchPatchOnDeployments(Overlay overlay) {
        Manifests manifests = Manifests.of(overlay);
        KubeObject account = manifests.get("ServiceAccount", SERVICE);
        List<KubeObject> roles = manifests.ofKind("Role");
        assertThat(roles).as("%s names at least one target namespace", overlay).isNotEmpty();
        for (KubeObject role : roles) {
            assertThat(role.namespace()).as("%s is in a target namespace, not Twostep's own", role)
                    .isNotEqualTo(account.namespace());
            assertThat(role.at("rules")).as("%s rules", role).singleElement().satisfies(rule -> {
                assertThat(KubeObject.texts(rule.path("apiGroups"))).containsExactly("apps");
                assertThat(KubeObject.texts(rule.path("resources"))).containsExactly("deployments");
                assertThat(KubeObject.texts(rule.path("verbs"))).containsExactlyInAnyOrderElementsOf(GRANTED);
                assertThat(rule.has("resourceNames")).isFalse();
                assertThat(rule.has("nonResourceURLs")).isFalse();
            });
            List<KubeObject> bindings = manifests.where(binding -> binding.kind().equals("RoleBinding")
                    && binding.namespace().equals(role.namespace())
                    && binding.at("roleRef", "name").asText().equals(role.name()));
            assertThat(bindings).as("bindings of %s", role).singleElement().satisfies(binding -> {
                assertThat(binding.at("roleRef", "kind").asText()).isEqualTo("Role");
                assertThat(binding.at("subjects")).singleElement().satisfies(subject -> {
                    assertThat(subject.path("kind").asText()).isEqualTo("ServiceAccount");
                    assertThat(subject.path("name").asText()).isEqualTo(account.name());
                    assertThat(subject.path("namespace").asText()).isEqualTo(account.namespace());
                });
            });
        }
        assertThat(manifests.ofKind("RoleBinding")).hasSameSizeAs(roles);
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void nothingIsGrantedClusterWide(Overlay overlay) {
        assertThat(Manifests.of(overlay).all()).extracting(KubeObject::kind)
                .doesNotContain("ClusterRole", "ClusterRoleBinding");
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void onlyTheOrchestratorMountsAnApiToken(Overlay overlay) {
        Manifests manifests = Manifests.of(overlay);
        for (ServiceModule service : ServiceModule.ALL) {
            JsonNode pod = ServicePod.of(manifests, service.name()).podSpec();
            boolean orchestrator = service.name().equals(SERVICE);
            assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).as("%s mounts a token", service.name())
                    .isEqualTo(orchestrator);
            assertThat(pod.path("serviceAccountName").asText("default")).as("%s service account", service.name())
                    .isEqualTo(orchestrator ? SERVICE : "default");
        }
    }

    @Test
    void theGrantCoversEveryCallOfTheKubernetesTargetAndItTouchesOnlyDeployments() throws IOException {
        Set<String> needed = new TreeSet<>();
        List<Path> clientCode = kubernetesClientCode();
        assertThat(clientCode).as("deploy-orchestrator code that imports the fabric8 KubernetesClient (its Kubernetes "
                + "target); if it exists in your work tree, check it is committed: a .gitignore line 'target/' also "
                + "ignores a Java package named target").isNotEmpty();
        for (Path file : clientCode) {
            String code = Files.readString(file);
            Matcher entry = Pattern.compile("\\bclient\\s*\\.\\s*(\\w+)\\(\\)\\s*(?:\\.\\s*(\\w+)\\(\\))?").matcher(code);
            while (entry.find()) {
                if (!entry.group(1).equals("close")) {
                    assertThat(entry.group(1) + "()." + entry.group(2) + "()").as("API use in %s", file.getFileName())
                            .isEqualTo("apps().deployments()");
                }
            }
            Matcher resource = DEPLOYMENT_RESOURCE.matcher(code);
            while (resource.find()) {
                operation(code, resource.end()).ifPresent(operation -> {
                    assertThat(VERBS).as("the verbs of %s() in %s: add them here", operation, file.getFileName())
                            .containsKey(operation);
                    needed.addAll(VERBS.get(operation));
                });
            }
        }
        assertThat(needed).as("verbs the Kubernetes target issues").isNotEmpty();
        assertThat(GRANTED).as("granted verbs").containsAll(needed);
    }

    /** The first call after a Deployment resource that is not navigation, if the chain goes on. */
    private static Optional<String> operation(String code, int from) {
        int position = from;
        while (true) {
            Matcher call = NEXT_CALL.matcher(code);
            if (!call.find(position) || call.start() != position) {
                return Optional.empty();
            }
            if (!NAVIGATION.contains(call.group(1))) {
                return Optional.of(call.group(1));
            }
            position = closingParenthesis(code, call.end()) + 1;
        }
    }

    private static int closingParenthesis(String code, int afterOpening) {
        int depth = 1;
        for (int i = afterOpening; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new AssertionError("unbalanced parentheses");
    }

    private static List<Path> kubernetesClientCode() throws IOException {
        Path sources = Repository.root().resolve(SERVICE).resolve("src/main/java");
        try (Stream<Path> files = Files.walk(sources)) {
            List<Path> users = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (Files.readString(file).contains("import io.fabric8.kubernetes.client.KubernetesClient;")) {
                    users.add(file);
                }
            }
            return users;
        }
    }
}
