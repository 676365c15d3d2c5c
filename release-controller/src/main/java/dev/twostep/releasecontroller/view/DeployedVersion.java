package dev.twostep.releasecontroller.view;

/** An application version that runs in an environment. */
public record DeployedVersion(String application, String version) {
}
