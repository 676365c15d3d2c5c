package dev.twostep.releasecontroller.config;

import dev.twostep.releasecontroller.release.Bucketing;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The installation's choice between flagd's two fractional bucketings (the release-controller's README). */
@ConfigMapping(prefix = "twostep.release")
public interface BucketingConfig {

    /**
     * The bucketing a new release is made with: {@code flagd-fractional}, flagd's high-precision scheme (flagd's
     * since 2026), or {@code flagd-fractional-legacy}, the scheme before it, which OpenFeature's flagd provider for
     * Java implements up to 0.11.15. Pick the one that the readers of the flagd export implement, so that they and
     * OFREP agree on splits. A release keeps the bucketing it was made with while it splits its audience, so changing
     * this moves no user; any other value stops the start with the allowed ones.
     */
    @WithDefault("flagd-fractional")
    Bucketing bucketing();
}
