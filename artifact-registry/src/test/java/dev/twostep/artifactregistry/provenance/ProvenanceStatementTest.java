package dev.twostep.artifactregistry.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.twostep.artifactregistry.view.ArtefactView;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProvenanceStatementTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static ArtefactView artefact(String runUrl, String buildId) {
        return new ArtefactView("checkout", "1.4.0", "sha256:" + "c".repeat(64), "pkg:oci/checkout@sha256%3A" + "c".repeat(64),
                new ArtefactView.Provenance(buildId, runUrl, "https://github.com/acme/checkout", "4f1b2c3d"),
                List.of("new-payment-form"), Instant.parse("2026-11-20T10:08:00Z"), ArtefactView.PUBLISHED, null);
    }

    @Test
    void aBuiltArtefactBecomesAnInTotoStatementWithASlsaV1Predicate() {
        JsonNode statement = JSON.valueToTree(ProvenanceStatement.of(artefact("https://ci.example.com/job/42", "b-42")));

        assertThat(statement.path("_type").asText()).isEqualTo("https://in-toto.io/Statement/v1");
        assertThat(statement.path("predicateType").asText()).isEqualTo("https://slsa.dev/provenance/v1");
        assertThat(statement.path("subject").get(0).path("digest").path("sha256").asText()).isEqualTo("c".repeat(64));
        JsonNode definition = statement.path("predicate").path("buildDefinition");
        assertThat(definition.path("buildType").asText()).isEqualTo(ProvenanceStatement.BUILD_TYPE);
        assertThat(definition.path("externalParameters").path("commit").asText()).isEqualTo("4f1b2c3d");
        assertThat(definition.path("resolvedDependencies").get(0).path("uri").asText())
                .isEqualTo("git+https://github.com/acme/checkout@4f1b2c3d");
        assertThat(definition.path("internalParameters").path("twostepBuildId").asText()).isEqualTo("b-42");
        JsonNode run = statement.path("predicate").path("runDetails");
        assertThat(run.path("builder").path("id").asText()).isEqualTo("https://ci.example.com");
        assertThat(run.path("metadata").path("invocationId").asText()).isEqualTo("https://ci.example.com/job/42");
        assertThat(run.path("metadata").path("finishedOn").asText()).isEqualTo("2026-11-20T10:08:00Z");
    }

    @Test
    void aDirectPublishNamesTheDirectPublishBuilderAndARelativeSourceStaysAUri() {
        JsonNode direct = JSON.valueToTree(ProvenanceStatement.of(artefact(null, null)));
        assertThat(direct.at("/predicate/runDetails/builder/id").asText())
                .isEqualTo(ProvenanceStatement.DIRECT_PUBLISH_BUILDER);
        assertThat(direct.at("/predicate/buildDefinition/internalParameters").has("twostepBuildId")).isFalse();

        JsonNode relative = JSON.valueToTree(ProvenanceStatement.of(artefact("/event/source/123", "b-1")));
        assertThat(relative.at("/predicate/runDetails/builder/id").asText())
                .isEqualTo("urn:twostep:ci-source:%2Fevent%2Fsource%2F123");
    }
}
