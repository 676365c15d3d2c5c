package dev.twostep.access;

import java.util.Set;

/**
 * The roles a token may carry, in its {@code groups} claim (or the claim named by {@code smallrye.jwt.path.groups}).
 * Each write endpoint names the roles it admits; every role may also read.
 */
public final class Roles {

    /** Posts builds and CDEvents. */
    public static final String CI = "ci";
    /** Publishes and revokes artefacts. */
    public static final String PUBLISHER = "publisher";
    /** Requests deployments and reports their status. */
    public static final String DEPLOYER = "deployer";
    /** Approves promotions. */
    public static final String APPROVER = "approver";
    /** Sets audiences, runs rollouts and issues flag-evaluation keys. */
    public static final String RELEASE_MANAGER = "release-manager";
    /** Rolls anything back, aborts rollouts, defines environments and rebuilds read models. */
    public static final String SRE = "sre";
    /** Reports request and error counts for rollouts (an application or its metrics pipeline). */
    public static final String TELEMETRY = "telemetry";
    /** Reads. */
    public static final String VIEWER = "viewer";

    public static final Set<String> ALL = Set.of(CI, PUBLISHER, DEPLOYER, APPROVER, RELEASE_MANAGER, SRE, TELEMETRY,
            VIEWER);

    private Roles() {
    }
}
