package dev.twostep.releasecontroller.rest;

import dev.twostep.events.EventJson;
import dev.twostep.events.ReleaseEvent.Guard;
import dev.twostep.events.ReleaseEvent.Plan;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The guards part of a rollout request: kinds, names, dry-run and sources, and the fields a refusal names. */
class RolloutGuardsRequestTest {

    private static final String ERRORS = "{\"metric\":\"errorRate\",\"maxIncrease\":0.5,\"confidence\":0.95}";
    private static final String LATENCY = "{\"metric\":\"latency\",\"maxIncrease\":1,\"confidence\":0.95,"
            + "\"name\":\"slow\",\"source\":{\"type\":\"prometheus\",\"url\":\"http://prometheus:9090\","
            + "\"total\":\"sum(increase(t{variant=\\\"{{variant}}\\\"}[{{window}}]))\","
            + "\"good\":\"sum(increase(b{variant=\\\"{{variant}}\\\",le=\\\"0.3\\\"}[{{window}}]))\"}}";

    @Test
    void aPlainGuardKeepsThePlanAsItWas() throws Exception {
        Plan plan = request(ERRORS, null).toPlan();

        assertThat(plan.guards()).isNull();
        assertThat(plan.allGuards()).hasSize(1);
        assertThat(AnalyzerPreflight.needed(plan)).isFalse();
    }

    @Test
    void additionalGuardsJoinTheFirstInThePlan() throws Exception {
        Plan plan = request(ERRORS, "[" + LATENCY + "]").toPlan();

        assertThat(plan.guard().metric()).isEqualTo("errorRate");
        assertThat(plan.guards()).extracting(Guard::nameOrMetric).containsExactly("errorRate", "slow");
        assertThat(plan.guards().get(1).source().good()).contains("le=\"0.3\"");
        assertThat(AnalyzerPreflight.needed(plan)).isTrue();
    }

    @Test
    void guardsThatCannotWorkAreRefusedNamingTheField() throws Exception {
        RolloutRequest sameName = request(ERRORS, "[" + ERRORS + "]");
        RolloutRequest noneActs = request(ERRORS.replace("}", ",\"dryRun\":true}"), null);
        RolloutRequest goodAndBad = request(ERRORS, "[" + LATENCY.replace("\"good\"", "\"bad\":\"x\",\"good\"") + "]");

        assertThatThrownBy(sameName::toPlan).hasMessageContaining("additionalGuards[0].name");
        assertThatThrownBy(noneActs::toPlan).hasMessageContaining("at least one guard must act");
        assertThatThrownBy(goodAndBad::toPlan).hasMessageContaining("additionalGuards[0].source");
    }

    @Test
    void theAnalyzersFieldsAreRenamedToThisRequests() {
        assertThat(RolloutRequest.requestField("plan.guards[0].source.total")).isEqualTo("guard.source.total");
        assertThat(RolloutRequest.requestField("plan.guards[2].source.good")).isEqualTo("additionalGuards[1].source.good");
        assertThat(RolloutRequest.requestField("plan.guard.source.url")).isEqualTo("guard.source.url");
        assertThat(RolloutRequest.requestField("plan.steps")).isEqualTo("steps");
    }

    private static RolloutRequest request(String guard, String additionalGuards) throws Exception {
        return EventJson.mapper().readValue(("{\"steps\":[1,50,100],\"minRequestsPerStep\":100,\"minStepDuration\":\"PT1M\","
                + "\"maxStepDuration\":\"PT1H\",\"guard\":%s%s}").formatted(guard,
                additionalGuards == null ? "" : ",\"additionalGuards\":" + additionalGuards), RolloutRequest.class);
    }
}
