package dev.twostep.rolloutanalyzer.prometheus;

/**
 * What a rollout's two arms are called in an application's metrics, the value its {@code variant} label carries
 * (and the {@code {{variant}}} placeholder is filled with): {@code on} and {@code off} for a rollout of an audience,
 * the variants' own names for a rollout of a flag definition's named variant (as the OpenFeature hook labels them).
 */
public record VariantLabels(String treatment, String control) {

    public static final VariantLabels AUDIENCE = new VariantLabels("on", "off");

    public VariantLabels {
        if (treatment == null || control == null) {
            throw new IllegalArgumentException("a rollout's arms both have a label");
        }
    }
}
