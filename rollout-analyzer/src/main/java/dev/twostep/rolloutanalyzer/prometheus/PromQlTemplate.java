package dev.twostep.rolloutanalyzer.prometheus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PromQL query with placeholders, filled for one arm and one look. Flagger's metric templates and Argo Rollouts'
 * analysis templates work the same way (Go templates over the canary's name and namespace); ours are plain
 * {@code {{name}}} substitutions, so a template is never code.
 *
 * <ul>
 *   <li>{@code {{feature}}}, {@code {{environment}}}, {@code {{application}}}: the rollout's, as label values;</li>
 *   <li>{@code {{variant}}}: {@code on} for the treatment, {@code off} for the control;</li>
 *   <li>{@code {{window}}}: the range to {@code increase()} over, in seconds ({@code 300s}): from the step's
 *       start to the look.</li>
 * </ul>
 * Label values are escaped as PromQL string literals need, so a value cannot end the matcher it sits in.
 */
public record PromQlTemplate(String text) {

    public static final List<String> PLACEHOLDERS = List.of("feature", "environment", "application", "variant",
            "window");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z]+)\\s*}}");

    /** The placeholders that the template names but that do not exist; empty when it is fine. */
    public List<String> unknownPlaceholders() {
        List<String> unknown = new ArrayList<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            if (!PLACEHOLDERS.contains(matcher.group(1))) {
                unknown.add(matcher.group(1));
            }
        }
        return unknown;
    }

    public String fill(String feature, String environment, String application, String variant, Duration window) {
        Map<String, String> values = Map.of("feature", escape(feature), "environment", escape(environment),
                "application", escape(application == null ? "" : application), "variant", escape(variant),
                "window", Math.max(1, window.toSeconds()) + "s");
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder filled = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            matcher.appendReplacement(filled, Matcher.quoteReplacement(value != null ? value : matcher.group()));
        }
        matcher.appendTail(filled);
        return filled.toString();
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
