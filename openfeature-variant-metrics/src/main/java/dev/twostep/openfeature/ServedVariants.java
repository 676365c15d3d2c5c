package dev.twostep.openfeature;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The variants one request was served, by feature key, as {@link VariantMetricsHook} notes them while the request's
 * thread evaluates flags. A request opens one with {@link #open()} before it evaluates and closes it when it is done;
 * the scope is the thread because that is where an OpenFeature client runs a synchronous evaluation's hooks.
 *
 * <p>Scopes nest (a request handled inside another on the same thread), so closing one brings back the outer one
 * instead of leaving the thread without any.
 */
public final class ServedVariants implements AutoCloseable {

    private static final ThreadLocal<ServedVariants> CURRENT = new ThreadLocal<>();

    private final Map<String, String> byFeature = new LinkedHashMap<>();
    private final ServedVariants outer;
    private final Thread owner;

    private ServedVariants(ServedVariants outer) {
        this.outer = outer;
        this.owner = Thread.currentThread();
    }

    /** Starts noting what this thread's evaluations serve, until {@link #close()}. */
    public static ServedVariants open() {
        ServedVariants scope = new ServedVariants(CURRENT.get());
        CURRENT.set(scope);
        return scope;
    }

    /** The scope this thread has open, if any: an evaluation outside a request labels nothing. */
    static Optional<ServedVariants> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** The variant served for a feature; a feature evaluated twice keeps the last answer, which is what was used. */
    void note(String featureKey, String variant) {
        byFeature.put(featureKey, variant);
    }

    /** Feature key to variant label, in the order the features were first evaluated. */
    public Map<String, String> byFeature() {
        return Map.copyOf(byFeature);
    }

    @Override
    public void close() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("served variants are closed on the thread that opened them");
        }
        if (outer == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(outer);
        }
    }
}
