package dev.twostep.k8s;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings a {@code @ConfigMapping} interface declares with a {@code @WithDefault}, read from its source: the key
 * is the prefix and the method's name in kebab case, through one level of nested groups ({@code Kubernetes
 * kubernetes();} makes {@code twostep.deploy.kubernetes.timeout}). It reads the code as this project writes it, not
 * every form Java allows.
 */
final class MappedSettings {

    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(prefix = \"([^\"]+)\"\\)");
    private static final Pattern NESTED = Pattern.compile("\\n\\s+interface (\\w+) \\{");
    private static final String ANNOTATION = "@[\\w.]+(?:\\((?:\"[^\"]*\"|[^\"()])*\\))?";
    private static final Pattern DEFAULTED = Pattern.compile(
            "@WithDefault\\(\"([^\"]*)\"\\)(?:\\s+" + ANNOTATION + ")*\\s+[\\w<>,.? ]+? (\\w+)\\(\\);");

    private MappedSettings() {
    }

    /** Key to default, of the mapping in {@code source}; empty when the source declares no mapping. */
    static Map<String, String> defaults(String source) {
        Map<String, String> defaults = new TreeMap<>();
        Matcher mapping = MAPPING.matcher(source);
        if (!mapping.find()) {
            return defaults;
        }
        String prefix = mapping.group(1);
        Matcher defaulted = DEFAULTED.matcher(source);
        while (defaulted.find()) {
            groupAt(source, defaulted.start()).ifPresent(group -> defaults.put(
                    prefix + group + "." + kebab(defaulted.group(2)), defaulted.group(1)));
        }
        return defaults;
    }

    /** "" at the mapping's top level, ".kubernetes" inside the group interface that {@code kubernetes()} returns. */
    private static Optional<String> groupAt(String source, int position) {
        Matcher nested = NESTED.matcher(source);
        while (nested.find()) {
            int open = source.indexOf('{', nested.start());
            if (position > open && position < closingBrace(source, open)) {
                Matcher getter = Pattern.compile("\\s" + nested.group(1) + " (\\w+)\\(\\);").matcher(source);
                return getter.find() ? Optional.of("." + kebab(getter.group(1))) : Optional.empty();
            }
        }
        return Optional.of("");
    }

    private static int closingBrace(String source, int open) {
        int depth = 0;
        for (int i = open; i < source.length(); i++) {
            if (source.charAt(i) == '{') {
                depth++;
            } else if (source.charAt(i) == '}' && --depth == 0) {
                return i;
            }
        }
        return source.length();
    }

    /** SmallRye's default naming: {@code redeliveryHorizon} is {@code redelivery-horizon}. */
    private static String kebab(String method) {
        return method.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
