package dev.twostep.buildservice.cdevents;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import dev.twostep.events.rules.Digest;
import dev.twostep.problems.ProblemException;

import java.util.Arrays;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What an artefact's package URL (purl) says about it. Twostep artefacts are immutable by digest, so a purl
 * must carry a sha256 digest: as its version ({@code pkg:oci/checkout@sha256:...}, the OCI form) or in a
 * {@code checksum} qualifier ({@code pkg:maven/dev.example/checkout@1.4.0?checksum=sha256:...}). A purl that
 * pins nothing, such as the CDEvents examples' {@code pkg:golang/...@234fd47e07d1004f0aed9c}, is refused.
 *
 * @param version the {@code tag} qualifier of an OCI purl, otherwise the purl's version
 */
public record ArtefactPurl(String name, String version, String digest, String uri) {

    private static final Pattern SHA256 = Pattern.compile(Digest.PATTERN);
    private static final Pattern NO_WHITESPACE = Pattern.compile("\\S+");

    /** @param field where the purl stood in the event, so an error names it */
    public static ArtefactPurl parse(String purl, String field) {
        if (purl == null || purl.isBlank()) {
            throw ProblemException.invalid(field, "is required: the artefact's package URL (purl)");
        }
        PackageURL parsed;
        try {
            parsed = new PackageURL(purl);
        } catch (MalformedPackageURLException e) {
            throw ProblemException.invalid(field, "must be a package URL (purl): " + e.getMessage());
        }
        Map<String, String> qualifiers = parsed.getQualifiers() == null ? Map.of() : parsed.getQualifiers();
        String digest = digest(parsed.getVersion(), qualifiers.get("checksum"));
        if (digest == null) {
            throw ProblemException.invalid(field, "must pin the artefact by a sha256 digest: @sha256:<64 hex> "
                    + "as the version, or a checksum=sha256:<64 hex> qualifier");
        }
        String version = qualifiers.getOrDefault("tag", parsed.getVersion());
        if (version == null || !NO_WHITESPACE.matcher(version).matches()) {
            throw ProblemException.invalid(field, "must name a version: the purl's version or a tag qualifier");
        }
        return new ArtefactPurl(parsed.getName(), version, digest, purl);
    }

    private static String digest(String version, String checksums) {
        if (version != null && SHA256.matcher(version).matches()) {
            return version;
        }
        if (checksums == null) {
            return null;
        }
        return Arrays.stream(checksums.split(",")).filter(c -> SHA256.matcher(c).matches()).findFirst().orElse(null);
    }
}
