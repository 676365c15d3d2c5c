package dev.twostep.bench.rollout;

/** Something that takes a rollout through the plan, batch by batch, until it completes, rolls back or holds. */
interface Analyzer {

    String name();

    RolloutResult run(Traffic traffic, long rolloutSeed);
}
