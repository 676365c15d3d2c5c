package dev.twostep.deployorchestrator.target;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The image a Kubernetes container runs for an artefact: its repository pinned by digest, so that
 * what runs is exactly what was built, whatever a tag points to later.
 */
public final class ImageReference {

    private static final String OCI_PURL = "pkg:oci/";

    private ImageReference() {
    }

    /**
     * @param uri    an OCI reference ({@code registry/path/name[:tag][@digest]}) or an OCI purl
     *               ({@code pkg:oci/name[@version][?repository_url=registry/path/name]})
     * @param digest the artefact's {@code sha256:...} digest
     */
    public static String pinned(String uri, String digest) {
        return repositoryOf(uri) + "@" + digest;
    }

    static String repositoryOf(String uri) {
        if (uri.startsWith(OCI_PURL)) {
            return purlRepository(uri.substring(OCI_PURL.length()));
        }
        String withoutDigest = uri.contains("@") ? uri.substring(0, uri.indexOf('@')) : uri;
        int lastSlash = withoutDigest.lastIndexOf('/');
        int tagColon = withoutDigest.lastIndexOf(':');
        // A colon before the last slash belongs to a registry port, not to a tag.
        return tagColon > lastSlash ? withoutDigest.substring(0, tagColon) : withoutDigest;
    }

    private static String purlRepository(String rest) {
        int query = rest.indexOf('?');
        String path = query < 0 ? rest : rest.substring(0, query);
        String name = path.contains("@") ? path.substring(0, path.indexOf('@')) : path;
        if (query >= 0) {
            for (String qualifier : rest.substring(query + 1).split("&")) {
                if (qualifier.startsWith("repository_url=")) {
                    return URLDecoder.decode(qualifier.substring("repository_url=".length()), StandardCharsets.UTF_8);
                }
            }
        }
        return name;
    }
}
