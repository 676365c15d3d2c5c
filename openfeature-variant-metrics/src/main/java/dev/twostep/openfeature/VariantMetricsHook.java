package dev.twostep.openfeature;

import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.Hook;
import dev.openfeature.sdk.HookContext;

import java.util.Map;

/**
 * Notes, for the request whose {@link ServedVariants} is open on the evaluating thread, which variant of each flag it
 * was served, so that {@link VariantRequestMetrics} can label the request's metrics with it. Register it on the
 * OpenFeature API or on a client: {@code client.addHooks(new VariantMetricsHook())}.
 *
 * <p>The label follows the rollout-analyzer's convention (its README, "Prometheus guards"): a boolean flag is
 * {@code on} or {@code off} by the value served, whatever the provider calls its variants, because the analyzer's
 * queries ask for {@code variant="on"} (treatment) and {@code variant="off"} (control); any other flag is labelled
 * by the variant's name. When evaluation fails the application gets the default value, so that is what the request
 * is counted under ({@code off} for a boolean default of false; {@code default} for other types, whose default has
 * no variant name).
 */
public final class VariantMetricsHook implements Hook<Object> {

    /** The label of a request served a flag's default value after an error, for non-boolean flags. */
    public static final String DEFAULT_VARIANT = "default";

    @Override
    public void after(HookContext<Object> context, FlagEvaluationDetails<Object> details, Map<String, Object> hints) {
        ServedVariants.current().ifPresent(served ->
                served.note(context.getFlagKey(), label(details.getValue(), details.getVariant())));
    }

    @Override
    public void error(HookContext<Object> context, Exception error, Map<String, Object> hints) {
        ServedVariants.current().ifPresent(served ->
                served.note(context.getFlagKey(), label(context.getDefaultValue(), null)));
    }

    /** {@code on}/{@code off} for a boolean value, else the variant's name, else {@value #DEFAULT_VARIANT}. */
    static String label(Object value, String variant) {
        if (value instanceof Boolean on) {
            return on ? "on" : "off";
        }
        return variant == null || variant.isBlank() ? DEFAULT_VARIANT : variant;
    }
}
