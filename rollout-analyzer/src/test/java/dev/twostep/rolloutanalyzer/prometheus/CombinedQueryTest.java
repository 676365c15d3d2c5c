package dev.twostep.rolloutanalyzer.prometheus;

import dev.twostep.rolloutanalyzer.prometheus.PrometheusClient.Result;
import dev.twostep.testing.TestPrometheus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A look's queries go to a real Prometheus as one request. Each answer is what the query alone gives; a part that
 * Prometheus cannot combine (a scalar) sends the parts one by one, so it still gives its own answer.
 */
class CombinedQueryTest {

    private static TestPrometheus prometheus;
    private final PrometheusClient client = new PrometheusClient(Duration.ofSeconds(5));

    @BeforeAll
    static void startPrometheus() {
        // Nothing listens on the target: these queries need no scraped series.
        prometheus = TestPrometheus.scraping("127.0.0.1:9");
    }

    @AfterAll
    static void stopPrometheus() {
        prometheus.close();
    }

    @Test
    void prometheusAnswersTheCombinedFormItself() {
        Result combined = client.query(prometheus.url(), Optional.empty(),
                PrometheusClient.combined(List.of("vector(5)")), Instant.now());

        assertThat(combined).isEqualTo(new Result.Value(5));
    }

    @Test
    void eachPartGetsTheAnswerItWouldGetAlone() {
        List<Result> answers = client.queryAll(prometheus.url(), Optional.empty(),
                List.of("vector(3)", "sum(no_such_series)", "vector(4) + vector(1)"), Instant.now());

        assertThat(answers).containsExactly(new Result.Value(3),
                new Result.NoData("empty result: the query names no series", false), new Result.Value(5));
    }

    @Test
    void aScalarPartIsSentOnItsOwn() {
        List<Result> answers = client.queryAll(prometheus.url(), Optional.empty(),
                List.of("vector(3)", "scalar(vector(4))"), Instant.now());

        assertThat(answers).containsExactly(new Result.Value(3), new Result.Value(4));
    }
}
