package dev.twostep.releasecontroller.evaluation;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Every flag as evaluation needs it, in memory: OFREP never reads the database. It is filled from
 * the read model at start-up and updated after each commit that changes a release; readiness waits
 * for the first fill.
 */
@ApplicationScoped
public class FlagSnapshot {

    private final ConcurrentSkipListMap<String, Flag> flags = new ConcurrentSkipListMap<>();
    private volatile boolean loaded;

    public Optional<Flag> flag(String key) {
        return Optional.ofNullable(flags.get(key));
    }

    /** In key order, so a bulk evaluation of an unchanged snapshot is byte for byte the same. */
    public Collection<Flag> all() {
        return flags.values();
    }

    public void define(String key) {
        flags.putIfAbsent(key, Flag.defined(key));
    }

    public void release(String key, String environment, FlagRelease release) {
        flags.compute(key, (k, flag) -> (flag == null ? Flag.defined(k) : flag).with(environment, release));
    }

    public void markLoaded() {
        loaded = true;
    }

    public boolean loaded() {
        return loaded;
    }
}
