package dev.twostep.deployorchestrator.target;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ImageReferenceTest {

    private static final String DIGEST = "sha256:" + "9".repeat(64);

    @Test
    void anOciReferenceLosesItsTagAndIsPinnedByDigest() {
        assertThat(ImageReference.pinned("registry.example.com:5000/shop/checkout:1.4.0", DIGEST))
                .isEqualTo("registry.example.com:5000/shop/checkout@" + DIGEST);
        assertThat(ImageReference.pinned("registry.example.com:5000/shop/checkout", DIGEST))
                .isEqualTo("registry.example.com:5000/shop/checkout@" + DIGEST);
        assertThat(ImageReference.pinned("ghcr.io/shop/checkout:1.4.0@sha256:old", DIGEST))
                .isEqualTo("ghcr.io/shop/checkout@" + DIGEST);
    }

    @Test
    void anOciPurlUsesItsRepositoryUrlOrItsName() {
        assertThat(ImageReference.pinned("pkg:oci/checkout@sha256%3Aabc?repository_url=ghcr.io%2Fshop%2Fcheckout&tag=1.4.0",
                DIGEST)).isEqualTo("ghcr.io/shop/checkout@" + DIGEST);
        assertThat(ImageReference.pinned("pkg:oci/checkout", DIGEST)).isEqualTo("checkout@" + DIGEST);
    }
}
