package dev.twostep.console.suspects;

import dev.twostep.console.suspects.Change.Kind;
import dev.twostep.console.suspects.Ranking.Suspect;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RankingTest {

    private static final Instant AT = Instant.parse("2026-11-20T10:07:00Z");

    private final Change flagStep = change(5, Kind.ROLLOUT_STEP, "npf", null, null, 50.0, 10.0);
    private final Change darkDeploy = change(1, Kind.DEPLOYED, null, "1.5", "1.4", null, null);
    private final Change decision = change(6, Kind.DECISION, "npf", null, null, null, null);
    private final Change restart = change(0, Kind.DEPLOYED, null, "1.5", "1.5", null, null);
    private final Change keyRevoked = change(20, Kind.API_KEY_REVOKED, null, null, null, null, null);
    private final Change featureOff = change(30, Kind.FEATURE_ROLLED_BACK, "ocr", null, null, 100.0, null);
    private final List<Change> changes = List.of(flagStep, darkDeploy, decision, restart, keyRevoked, featureOff);

    @Test
    void aFlagStepFromTenToFiftyPercentOutranksADeployBehindAClosedFlag() {
        List<Suspect> suspects = Ranking.rank(AT, changes);

        Suspect step = find(suspects, flagStep);
        Suspect deploy = find(suspects, darkDeploy);
        assertThat(step.rank()).isEqualTo(1);
        assertThat(step.score()).isCloseTo(0.4 * Math.pow(0.5, 0.5), within(1e-12));
        assertThat(deploy.rank()).isEqualTo(2);
        assertThat(deploy.score()).isCloseTo(0.25 * Math.pow(0.5, 0.1), within(1e-12));
    }

    @Test
    void listsNewestFirstEachWithItsRank() {
        List<Suspect> suspects = Ranking.rank(AT, changes);

        assertThat(suspects).extracting(Suspect::change)
                .containsExactly(restart, darkDeploy, flagStep, decision, keyRevoked, featureOff);
        // A wide change 30 minutes ago (1.00 × 0.125) still outranks a restart now (0.05) and a revoked key 20 minutes
        // ago (0.10 × 0.25); a decision, which changes nobody's experience by itself, comes last.
        assertThat(suspects).extracting(Suspect::rank).containsExactly(4, 2, 1, 6, 5, 3);
    }

    @Test
    void theRankingIsStableWhateverOrderTheChangesComeIn() {
        List<Suspect> expected = Ranking.rank(AT, changes);
        for (long seed = 1; seed <= 20; seed++) {
            List<Change> shuffled = new ArrayList<>(changes);
            Collections.shuffle(shuffled, new Random(seed));

            assertThat(Ranking.rank(AT, shuffled)).isEqualTo(expected);
        }
    }

    @Test
    void equalScoresRankTheNewerChangeFirst() {
        Change older = change(4, Kind.AUDIENCE_CHANGED, "a", null, null, 20.0, 0.0);
        Change newer = change(2, Kind.AUDIENCE_CHANGED, "b", null, null, 10.0, 0.0);
        Change twin = new Change(UUID.randomUUID(), newer.at(), Kind.AUDIENCE_CHANGED, null, "c", null, null, null,
                null, 10.0, 0.0, false, null, "alice", "why", "summary", "corr");

        List<Suspect> suspects = Ranking.rank(AT, List.of(older, newer, twin));

        // 0.20 × 0.5^0.4 = 0.1516 > 0.10 × 0.5^0.2 = 0.0871; the twins tie on score and time, then go by event id.
        assertThat(find(suspects, older).rank()).isEqualTo(1);
        List<Change> twins = ordered(newer, twin);
        assertThat(find(suspects, twins.get(0)).rank()).isEqualTo(2);
        assertThat(find(suspects, twins.get(1)).rank()).isEqualTo(3);
    }

    @Test
    void everySuspectExplainsItsScoreInWords() {
        List<Suspect> suspects = Ranking.rank(AT, changes);

        assertThat(find(suspects, flagStep).explanation()).isEqualTo(
                "npf 10% → 50%: 40% of users changed: breadth 0.40 × recency 0.71 (5m before, half-life 10m) = 0.283");
        assertThat(find(suspects, darkDeploy).explanation()).isEqualTo("version 1.5 runs for every user instead of"
                + " 1.4; its flagged features stay dark until released: breadth 0.25 × recency 0.93 (1m before,"
                + " half-life 10m) = 0.233");
        assertThat(find(suspects, decision).explanation())
                .startsWith("changes no user's experience by itself: breadth 0.00");
        assertThat(find(suspects, featureOff).explanation())
                .startsWith("ocr switched off for the 100% who had it: breadth 1.00 × recency 0.13 (30m before");
    }

    private static List<Change> ordered(Change a, Change b) {
        return a.eventId().compareTo(b.eventId()) < 0 ? List.of(a, b) : List.of(b, a);
    }

    private static Suspect find(List<Suspect> suspects, Change change) {
        return suspects.stream().filter(s -> s.change().equals(change)).findFirst().orElseThrow();
    }

    private static Change change(int minutesBefore, Kind kind, String feature, String version, String previousVersion,
                                 Double percentage, Double previousPercentage) {
        return new Change(UUID.randomUUID(), AT.minusSeconds(60L * minutesBefore), kind, "checkout", feature, version,
                previousVersion, null, null, percentage, previousPercentage, false, null, "alice", "because",
                kind + " summary", "corr-" + minutesBefore);
    }
}
