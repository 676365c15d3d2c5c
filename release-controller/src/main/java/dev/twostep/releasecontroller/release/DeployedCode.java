package dev.twostep.releasecontroller.release;

import java.util.List;
import java.util.Optional;

/**
 * What runs in one environment: each application's version and, when its artefact has been seen,
 * the features that version contains. Learnt from DeploymentSucceeded and ArtefactPublished only.
 */
public record DeployedCode(String environment, List<RunningVersion> running) {

    /** {@code features} is empty while the artefact of that version has not been seen yet. */
    public record RunningVersion(String application, String version, Optional<List<String>> features) {
    }

    public enum Presence { DEPLOYED, ABSENT, UNKNOWN }

    public DeployedCode {
        running = List.copyOf(running);
    }

    /**
     * Whether a feature's code runs here. UNKNOWN when it does not run in any known version but the
     * feature's application runs a version whose artefact has not been seen yet (the two topics are
     * consumed independently), so nobody switches a feature off on a guess.
     */
    public Presence presenceOf(String featureKey, String application) {
        if (running.stream().anyMatch(r -> r.features().map(f -> f.contains(featureKey)).orElse(false))) {
            return Presence.DEPLOYED;
        }
        boolean unseenVersionOfItsApplication = running.stream().anyMatch(r -> r.features().isEmpty()
                && (application == null || application.equals(r.application())));
        return unseenVersionOfItsApplication ? Presence.UNKNOWN : Presence.ABSENT;
    }

    /** The running versions that contain the feature. */
    public List<RunningVersion> containing(String featureKey) {
        return running.stream().filter(r -> r.features().map(f -> f.contains(featureKey)).orElse(false)).toList();
    }
}
