package dev.twostep.k8s;

import java.nio.file.Path;

/** The Kustomize overlays under deploy/k8s/overlays that a platform team applies. */
enum Overlay {
    DEV("dev"),
    PROD("prod");

    private final String directoryName;

    Overlay(String directoryName) {
        this.directoryName = directoryName;
    }

    Path directory() {
        return Repository.root().resolve("deploy/k8s/overlays").resolve(directoryName);
    }

    @Override
    public String toString() {
        return directoryName;
    }
}
