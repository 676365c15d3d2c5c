package dev.twostep.cli.log;

import dev.twostep.events.EventSummary;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.EventJson;
import dev.twostep.events.TwostepEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code twostep log} prints for an event: one line a person reads. */
class EventLineTest {

    private static final String BUILD = """
            {"buildId":"gh-4711","ciSystem":"github-actions","runUrl":"https://ci.example.com/runs/4711",
             "repository":"https://git.example.com/shop/checkout","commit":"3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39",
             "branch":"main","outcome":"SUCCEEDED","startedAt":"2026-11-20T10:00:00Z","finishedAt":"2026-11-20T10:07:30Z",
             "artefacts":[{"name":"checkout","version":"1.4.0",
               "digest":"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
               "uri":"pkg:oci/checkout","features":["new-payment-form"]},
              {"name":"checkout-worker","version":"1.4.0",
               "digest":"sha256:0f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
               "uri":"pkg:oci/checkout-worker","features":[]}]}""";

    @Test
    void aLineHasTimeShortTypeSubjectActorAndSummaryInColumns() {
        EventEnvelope build = envelope("dev.twostep.build.completed.v1", BUILD, "gh-4711", "github-actions");

        assertThat(EventLine.of(build)).isEqualTo("2026-11-20 10:07:30.125  build.completed"
                + " ".repeat(12) + "gh-4711" + " ".repeat(34) + "github-actions" + " ".repeat(9)
                + "build gh-4711 SUCCEEDED at 3f2a9c1 of https://git.example.com/shop/checkout:"
                + " checkout 1.4.0, checkout-worker 1.4.0");
    }

    @Test
    void aLongSubjectOrActorIsCutWithAnEllipsisAndAMissingActorIsADash() {
        String subject = "s".repeat(45);
        EventEnvelope build = envelope("dev.twostep.build.completed.v1", BUILD, subject, null);
        String line = EventLine.of(build);

        assertThat(line).contains(" " + "s".repeat(39) + "… ").doesNotContain("s".repeat(40));
        assertThat(line.substring(line.indexOf('…') + 2)).startsWith("-" + " ".repeat(22) + "build gh-4711");
        assertThat(EventLine.of(envelope("dev.twostep.build.completed.v1", BUILD, "gh-4711", "a".repeat(30))))
                .contains(" " + "a".repeat(21) + "… build gh-4711");
    }

    @Test
    void theTypeLosesItsPrefixAndVersion() {
        assertThat(EventLine.shortType("dev.twostep.deployment.succeeded.v1")).isEqualTo("deployment.succeeded");
        assertThat(EventLine.shortType("dev.twostep.rollout.advancedecided.v12")).isEqualTo("rollout.advancedecided");
    }

    @Test
    void aReleaseSaysFromWhichAudienceToWhich() {
        assertThat(summary("dev.twostep.feature.released.v1", """
                {"featureKey":"new-payment-form","environment":"prod","audience":{"percentage":5.0,"users":["qa-lead"]},
                 "previousAudience":{"percentage":1.0,"users":["qa-lead"]},"reason":"step 2","rolloutId":"r-42",
                 "bucketing":"murmur3-x86_32/featureKey+targetingKey/100000"}"""))
                .isEqualTo("new-payment-form@prod 1% + 1 users -> 5% + 1 users: step 2");
        assertThat(summary("dev.twostep.feature.released.v1", """
                {"featureKey":"f","environment":"dev","audience":{"percentage":100,"users":[]},
                 "previousAudience":{"percentage":0,"users":[]},"reason":"go","bucketing":"b"}"""))
                .isEqualTo("f@dev nobody -> everyone: go");
        assertThat(summary("dev.twostep.feature.released.v1", """
                {"featureKey":"f","environment":"dev","audience":{"percentage":12.5,"users":[]},
                 "reason":"first","bucketing":"b"}"""))
                .isEqualTo("f@dev nobody -> 12.5%: first");
    }

    @Test
    void aDeploymentSaysWhatItReplacedWithTheShortCommit() {
        assertThat(summary("dev.twostep.deployment.succeeded.v1", """
                {"deploymentId":"5b0e7c1e-2f35-4a53-9a43-0d8d8c1f0a11","application":"checkout","version":"1.4.0",
                 "environment":"prod","digest":"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                 "commit":"3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39","replacedVersion":"1.3.2"}"""))
                .isEqualTo("checkout 1.4.0 runs in prod, commit 3f2a9c1, replaced 1.3.2");
    }

    @Test
    void aDecisionSaysItsVerbStepAndEvidence() {
        assertThat(summary("dev.twostep.rollout.rollbackdecided.v1", """
                {"decisionId":"d-9","rolloutId":"r-43","featureKey":"one-click-reorder","environment":"prod","step":2,
                 "fromPercent":5.0,"toPercent":25.0,"planVersion":1,"evidence":{"window":{"start":"2026-11-20T11:00:00Z",
                 "end":"2026-11-20T11:05:00Z"},"control":{"requests":98011,"errors":980},
                 "treatment":{"requests":12034,"errors":253},"method":"always-valid-mixture-normal-cs",
                 "statistic":0.0112,"threshold":0.005,"baseline":"concurrent control (variant off)",
                 "summary":"treatment 2.1% of 12,034 vs control 1.0% of 98,011"}}"""))
                .isEqualTo("rollback one-click-reorder@prod step 2 (5%): treatment 2.1% of 12,034 vs control 1.0% of 98,011");
    }

    private static String summary(String type, String json) {
        return EventSummary.summary(event(type, json));
    }

    private static EventEnvelope envelope(String type, String json, String subject, String actor) {
        return new EventEnvelope(UUID.randomUUID(), "/twostep/test", subject, 1,
                Instant.parse("2026-11-20T10:07:30.125Z"), "c-1", null, actor, null, event(type, json));
    }

    private static TwostepEvent event(String type, String json) {
        return EventJson.read(type, json.getBytes(StandardCharsets.UTF_8));
    }
}
