package dev.twostep.artifactregistry.provenance;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.twostep.artifactregistry.view.ArtefactView;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-toto Statement v1 whose predicate is SLSA Provenance v1, made from what the registry knows about an
 * artefact: the build that made it, the CI run, and the source repository and commit. It is not signed; it
 * is well formed, so that supply-chain tools (slsa-verifier, in-toto, Sigstore policy engines) can read it
 * and a signer can wrap it in a DSSE envelope.
 *
 * @see <a href="https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md">in-toto Statement v1</a>
 * @see <a href="https://slsa.dev/spec/v1.0/provenance">SLSA Provenance v1</a>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProvenanceStatement(@JsonProperty("_type") String type, List<Subject> subject, String predicateType,
                                  Predicate predicate) {

    public static final String MEDIA_TYPE = "application/vnd.in-toto+json";
    public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    public static final String SLSA_PROVENANCE_V1 = "https://slsa.dev/provenance/v1";
    /** Describes how to read {@code externalParameters}: a CI run of a repository at a commit, reported to Twostep. */
    public static final String BUILD_TYPE = "https://twostep.dev/provenance/ci-run/v1";
    /** The builder of an artefact published directly, without a tracked build. */
    public static final String DIRECT_PUBLISH_BUILDER = "https://twostep.dev/builders/direct-publish";

    public record Subject(String name, Map<String, String> digest) {
    }

    public record Predicate(BuildDefinition buildDefinition, RunDetails runDetails) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BuildDefinition(String buildType, Map<String, Object> externalParameters,
                                  Map<String, Object> internalParameters,
                                  List<ResourceDescriptor> resolvedDependencies) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ResourceDescriptor(String uri, Map<String, String> digest) {
    }

    public record RunDetails(Builder builder, BuildMetadata metadata) {
    }

    public record Builder(String id) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BuildMetadata(String invocationId, Instant finishedOn) {
    }

    public static ProvenanceStatement of(ArtefactView artefact) {
        ArtefactView.Provenance source = artefact.provenance();
        Subject subject = new Subject(artefact.uri(),
                Map.of("sha256", artefact.digest().substring("sha256:".length())));

        Map<String, Object> external = new LinkedHashMap<>();
        external.put("repository", source.repository());
        external.put("commit", source.commit());
        Map<String, Object> internal = new LinkedHashMap<>();
        internal.put("artefact", artefact.name() + "@" + artefact.version());
        internal.put("features", artefact.features());
        if (source.buildId() != null) {
            internal.put("twostepBuildId", source.buildId());
        }
        ResourceDescriptor sourceCode = new ResourceDescriptor("git+" + source.repository() + "@" + source.commit(),
                Map.of("gitCommit", source.commit()));

        return new ProvenanceStatement(STATEMENT_TYPE, List.of(subject), SLSA_PROVENANCE_V1, new Predicate(
                new BuildDefinition(BUILD_TYPE, external, internal, List.of(sourceCode)),
                new RunDetails(new Builder(builderId(source.runUrl())),
                        new BuildMetadata(source.runUrl() != null ? source.runUrl() : source.buildId(),
                                artefact.publishedAt()))));
    }

    /**
     * SLSA identifies the builder by a URI; for a CI run, the CI system's origin is the best the registry knows.
     * A run known only by a relative source (some CDEvents senders) keeps that source inside a URN.
     */
    private static String builderId(String runUrl) {
        if (runUrl == null) {
            return DIRECT_PUBLISH_BUILDER;
        }
        try {
            URI run = new URI(runUrl);
            if (run.getScheme() != null && run.getAuthority() != null) {
                return run.getScheme() + "://" + run.getAuthority();
            }
        } catch (URISyntaxException e) {
            // not a URI: fall through to the URN
        }
        return "urn:twostep:ci-source:" + URLEncoder.encode(runUrl, StandardCharsets.UTF_8);
    }
}
