package dev.twostep.console.delivery;

import dev.twostep.console.delivery.DeliveryReport.Item;
import dev.twostep.console.delivery.Fact.AudienceChanged;
import dev.twostep.console.delivery.Fact.DeployFailed;
import dev.twostep.console.delivery.Fact.DeployRequested;
import dev.twostep.console.delivery.Fact.DeployRolledBack;
import dev.twostep.console.delivery.Fact.DeploySucceeded;
import dev.twostep.console.delivery.Fact.FeatureRolledBack;
import dev.twostep.console.delivery.Fact.RollbackDecided;
import dev.twostep.console.delivery.Fact.RolloutCompleted;
import dev.twostep.console.delivery.Fact.RolloutStarted;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scripted day of checkout in prod with every answer computed by hand (times are 2026-11-20, window 10:00-12:00):
 *
 * <pre>
 * 08:00 build 1.3 (no features)       10:00 build 1.4 (npf, ocr)       10:30 build 1.5 (npf)
 * 09:00 d0 1.3 succeeds (context, before the window)
 * 10:10 d1 1.4 requested, 10:20 succeeds              deploy lead 1.4: 10:00 -> 10:20 = 1,200 s
 * 10:25 npf on for alice (a person)                    first exposure npf: 10:00 -> 10:25 = 1,500 s
 * 10:30 rollout r1 of npf starts at 10 %
 * 10:31 rollout r2 of ocr starts at 10 % (overlaps r1) first exposure ocr: 10:00 -> 10:31 = 1,860 s
 * 10:40 r1 at 50 %
 * 10:41 rollback decided for r2; 10:41:30 ocr off     release restore 30 s
 * 10:50 r1 at 100 %, completed                         everyone npf: 10:00 -> 10:50 = 3,000 s
 * 11:00 d2 redeploys 1.4                               a redeploy: counted, no new lead time
 * 11:10 d3 rollback to 1.3 requested, 11:12 done       d2 rolled back; restore 120 s
 * 11:12:05 npf off: its code left (1.3 never had it)
 * 11:20 d4 1.5 requested, 11:22 fails; 11:30 d5 1.5    restore 480 s; deploy lead 1.5: 10:30 -> 11:30 = 3,600 s
 * </pre>
 */
class DeliveryMetricsTest {

    private static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");
    private static final Window WINDOW = new Window(at("10:00"), at("12:00"));

    private final List<Fact> facts = new ArrayList<>();
    private final Map<String, Provenance> provenance = Map.of(
            "1.3", build("1.3", "08:00", List.of()),
            "1.4", build("1.4", "10:00", List.of("npf", "ocr")),
            "1.5", build("1.5", "10:30", List.of("npf")));

    private final DeploySucceeded d0 = add(new DeploySucceeded(id(), at("09:00"), "d0", "1.3", null));
    private final DeployRequested d1Asked = add(new DeployRequested(id(), at("10:10"), "d1", "1.4"));
    private final DeploySucceeded d1 = add(new DeploySucceeded(id(), at("10:20"), "d1", "1.4", "1.3"));
    private final AudienceChanged alice = add(audience("10:25", "npf", 0, 1, 0, 0, null));
    private final RolloutStarted r1 = add(new RolloutStarted(id(), at("10:30"), "npf", "r1"));
    private final AudienceChanged r1Step1 = add(audience("10:30", "npf", 10, 1, 0, 1, "r1"));
    private final RolloutStarted r2 = add(new RolloutStarted(id(), at("10:31"), "ocr", "r2"));
    private final AudienceChanged r2Step1 = add(audience("10:31", "ocr", 10, 0, 0, 0, "r2"));
    private final AudienceChanged r1Step2 = add(audience("10:40", "npf", 50, 1, 10, 1, "r1"));
    private final RollbackDecided r2Decided = add(new RollbackDecided(id(), at("10:41"), "ocr", "r2", "dec-9"));
    private final FeatureRolledBack ocrOff = add(new FeatureRolledBack(id(), at("10:41:30"), "ocr",
            "rollout r2 rolled back at step 1: decision dec-9", "dec-9", 10, 0));
    private final AudienceChanged r1Step3 = add(audience("10:50", "npf", 100, 1, 50, 1, "r1"));
    private final RolloutCompleted r1Done = add(new RolloutCompleted(id(), at("10:50"), "npf", "r1"));
    private final DeploySucceeded d2 = add(new DeploySucceeded(id(), at("11:00"), "d2", "1.4", "1.4"));
    private final DeployRequested d3Asked = add(new DeployRequested(id(), at("11:10"), "d3", "1.3"));
    private final DeploySucceeded d3 = add(new DeploySucceeded(id(), at("11:12"), "d3", "1.3", "1.4"));
    private final DeployRolledBack d3Back = add(new DeployRolledBack(id(), at("11:12"), "d3", "1.4", "1.3",
            "checkout errors"));
    private final FeatureRolledBack npfOff = add(new FeatureRolledBack(id(), at("11:12:05"), "npf",
            FeatureRolledBack.CODE_GONE, null, 100, 1));
    private final DeployRequested d4Asked = add(new DeployRequested(id(), at("11:20"), "d4", "1.5"));
    private final DeployFailed d4Failed = add(new DeployFailed(id(), at("11:22"), "d4", "1.5", "image pull"));
    private final DeploySucceeded d5 = add(new DeploySucceeded(id(), at("11:30"), "d5", "1.5", "1.3"));

    @Test
    void countsForwardDeploymentsWithTheRedeployAndWithoutTheRollback() {
        var frequency = report().deploys().frequency();

        assertThat(frequency.count()).isEqualTo(3);
        assertThat(frequency.perDay()).isEqualTo(36.0);
        assertThat(frequency.byKind()).containsExactly(Map.entry("deploy", 2L), Map.entry("redeploy", 1L));
        assertThat(frequency.items()).extracting(Item::events)
                .containsExactly(List.of(d1.eventId()), List.of(d2.eventId()), List.of(d5.eventId()));
    }

    @Test
    void leadTimeToDeployCountsEachVersionOnceFromItsBuild() {
        var leadTime = report().deploys().leadTime();

        assertThat(leadTime.items()).extracting(Item::subject, Item::seconds)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1.4", 1200.0),
                        org.assertj.core.groups.Tuple.tuple("1.5", 3600.0));
        assertThat(leadTime.medianSeconds()).isEqualTo(2400.0);
        assertThat(leadTime.p90Seconds()).isEqualTo(3600.0);
        assertThat(leadTime.items().getFirst().events())
                .containsExactly(provenance.get("1.4").buildEventId(), provenance.get("1.4").artefactEventId(),
                        d1.eventId());
    }

    @Test
    void deployFailuresAreTheFailedAttemptAndTheRolledBackRedeploy() {
        var rate = report().deploys().changeFailureRate();

        assertThat(rate.changes()).isEqualTo(4);
        assertThat(rate.failures()).isEqualTo(2);
        assertThat(rate.rate()).isEqualTo(0.5);
        assertThat(rate.byCause()).containsExactly(Map.entry("rolled back", 1L), Map.entry("failed", 1L));
        assertThat(rate.items()).extracting(Item::events).containsExactly(
                List.of(d2.eventId(), d3Back.eventId()), List.of(d4Asked.eventId(), d4Failed.eventId()));
    }

    @Test
    void deployRestoreRunsFromTheRollbackRequestAndFromTheFailure() {
        var restore = report().deploys().timeToRestore();

        assertThat(restore.items()).extracting(Item::kind, Item::seconds).containsExactly(
                org.assertj.core.groups.Tuple.tuple("rollback", 120.0),
                org.assertj.core.groups.Tuple.tuple("failed, deployed again", 480.0));
        assertThat(restore.medianSeconds()).isEqualTo(300.0);
        assertThat(restore.items().get(0).events()).containsExactly(d3Asked.eventId(), d3.eventId(), d3Back.eventId());
        assertThat(restore.items().get(1).events()).containsExactly(d4Failed.eventId(), d5.eventId());
    }

    @Test
    void releaseFrequencyIsPersonChangesAndCompletedRolloutsNotTheirSteps() {
        var frequency = report().releases().frequency();

        assertThat(frequency.count()).isEqualTo(2);
        assertThat(frequency.byKind()).containsExactly(Map.entry("audience", 1L), Map.entry("rollout completed", 1L));
        assertThat(frequency.items()).extracting(Item::events)
                .containsExactly(List.of(alice.eventId()), List.of(r1Done.eventId()));
    }

    @Test
    void leadTimeToExposureStartsAtTheBuildThatBroughtTheFeature() {
        var exposure = report().releases().leadTimeToFirstExposure();
        var everyone = report().releases().leadTimeToEveryone();

        assertThat(exposure.items()).extracting(Item::subject, Item::seconds).containsExactly(
                org.assertj.core.groups.Tuple.tuple("npf", 1500.0),
                org.assertj.core.groups.Tuple.tuple("ocr", 1860.0));
        assertThat(exposure.medianSeconds()).isEqualTo(1680.0);
        assertThat(exposure.items().getFirst().events()).containsExactly(provenance.get("1.4").buildEventId(),
                provenance.get("1.4").artefactEventId(), d1.eventId(), alice.eventId());
        assertThat(everyone.items()).extracting(Item::subject, Item::seconds)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("npf", 3000.0));
    }

    @Test
    void releaseFailuresAreSplitByCauseOverReleasesBegun() {
        var rate = report().releases().changeFailureRate();

        assertThat(rate.changes()).isEqualTo(3);
        assertThat(rate.failures()).isEqualTo(2);
        assertThat(rate.rate()).isEqualTo(2.0 / 3);
        assertThat(rate.byCause()).containsExactly(Map.entry("rolled back by decision", 1L),
                Map.entry("rolled back because its code left", 1L));
        assertThat(rate.items()).extracting(Item::events)
                .containsExactly(List.of(ocrOff.eventId()), List.of(npfOff.eventId()));
    }

    @Test
    void releaseRestoreRunsFromTheDecisionToTheFeatureOff() {
        var restore = report().releases().timeToRestore();

        assertThat(restore.count()).isEqualTo(1);
        assertThat(restore.medianSeconds()).isEqualTo(30.0);
        assertThat(restore.items().getFirst().events()).containsExactly(r2Decided.eventId(), ocrOff.eventId());
    }

    @Test
    void sameFiguresWhateverOrderAndHowOftenTheFactsArrive() {
        DeliveryReport inOrder = report();
        for (long seed = 1; seed <= 20; seed++) {
            List<Fact> shuffled = new ArrayList<>(facts);
            shuffled.addAll(facts.subList(0, 7));
            Collections.shuffle(shuffled, new Random(seed));

            assertThat(DeliveryMetrics.compute("checkout", "prod", WINDOW, shuffled, provenance)).isEqualTo(inOrder);
        }
    }

    @Test
    void aBuildNotYetSeenLeavesItsLeadTimeUnfinishedUntilItArrives() {
        Map<String, Provenance> withoutBuild = Map.of(
                "1.3", provenance.get("1.3"),
                "1.4", new Provenance("1.4", "b-1.4", "c14", List.of("npf", "ocr"), id(), null, null),
                "1.5", provenance.get("1.5"));

        var leadTime = DeliveryMetrics.compute("checkout", "prod", WINDOW, facts, withoutBuild).deploys().leadTime();

        assertThat(leadTime.count()).isEqualTo(1);
        assertThat(leadTime.unfinished()).isEqualTo(1);
        assertThat(leadTime.medianSeconds()).isEqualTo(3600.0);
        assertThat(leadTime.items().getFirst().kind()).isEqualTo("deploy, build of 1.4 not seen");
    }

    @Test
    void factsAfterTheWindowCloseChangeNothingAndEarlierOnesAreOnlyContext() {
        Window morning = new Window(at("10:00"), at("11:05"));
        DeliveryReport before = DeliveryMetrics.compute("checkout", "prod", morning,
                facts.stream().filter(fact -> fact.at().isBefore(at("11:05"))).toList(), provenance);

        DeliveryReport withLater = DeliveryMetrics.compute("checkout", "prod", morning, facts, provenance);

        assertThat(withLater).isEqualTo(before);
        assertThat(withLater.deploys().changeFailureRate().failures()).isZero();
        assertThat(withLater.deploys().frequency().count()).isEqualTo(2);

        Window afternoon = new Window(at("11:05"), at("12:00"));
        DeliveryReport later = DeliveryMetrics.compute("checkout", "prod", afternoon, facts, provenance);
        assertThat(later.releases().leadTimeToFirstExposure().items()).isEmpty();
        assertThat(later.deploys().leadTime().items()).extracting(Item::subject).containsExactly("1.5");
    }

    @Test
    void aFailureNotRestoredByTheCloseIsCountedAsUnfinished() {
        Window toFailure = new Window(at("11:00"), at("11:25"));

        var restore = DeliveryMetrics.compute("checkout", "prod", toFailure, facts, provenance).deploys()
                .timeToRestore();

        assertThat(restore.count()).isEqualTo(1);
        assertThat(restore.unfinished()).isEqualTo(1);
        assertThat(restore.items().get(1).kind()).isEqualTo("failed, not restored");
    }

    @Test
    void collapsingKeepsEveryFigureAndDropsTheItems() {
        DeliveryReport collapsed = report().collapsed();

        assertThat(collapsed.deploys().frequency().count()).isEqualTo(3);
        assertThat(collapsed.deploys().frequency().items()).isNull();
        assertThat(collapsed.releases().timeToRestore().medianSeconds()).isEqualTo(30.0);
        assertThat(collapsed.releases().timeToRestore().items()).isNull();
    }

    private DeliveryReport report() {
        return DeliveryMetrics.compute("checkout", "prod", WINDOW, facts, provenance);
    }

    private <T extends Fact> T add(T fact) {
        facts.add(fact);
        return fact;
    }

    private static AudienceChanged audience(String time, String feature, double percentage, int users,
                                            double previousPercentage, int previousUsers, String rolloutId) {
        return new AudienceChanged(id(), at(time), feature, percentage, users, previousPercentage, previousUsers,
                rolloutId, rolloutId == null ? "by hand" : "step");
    }

    private static Provenance build(String version, String finished, List<String> features) {
        return new Provenance(version, "b-" + version, "c" + version.replace(".", ""), features, id(), at(finished),
                id());
    }

    private static Instant at(String time) {
        return DAY.plusSeconds(java.time.LocalTime.parse(time).toSecondOfDay());
    }

    private static UUID id() {
        return UUID.randomUUID();
    }
}
