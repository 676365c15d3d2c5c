package dev.twostep.rolloutanalyzer.prometheus;

import dev.twostep.rolloutanalyzer.prometheus.PrometheusClient.Result;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every answer of the query API that is not one finite count is "no data" with its reason, never a zero. */
class PrometheusAnswersTest {

    @Test
    void oneSeriesIsItsValue() {
        assertThat(PrometheusClient.read(200, vector("[{\"metric\":{},\"value\":[1700000000,\"1234.5\"]}]")))
                .isEqualTo(new Result.Value(1234.5));
    }

    @Test
    void anEmptyResultNamesNoSeries() {
        assertThat(PrometheusClient.read(200, vector("[]")))
                .isEqualTo(new Result.NoData("empty result: the query names no series", false));
    }

    @Test
    void notANumberIsNoData() {
        assertThat(PrometheusClient.read(200, vector("[{\"metric\":{},\"value\":[1700000000,\"NaN\"]}]")))
                .isInstanceOfSatisfying(Result.NoData.class, noData -> assertThat(noData.reason()).contains("NaN"));
    }

    @Test
    void aRefusedQueryIsAParseErrorWithPrometheusOwnWords() {
        Result result = PrometheusClient.read(400, "{\"status\":\"error\",\"errorType\":\"bad_data\","
                + "\"error\":\"1:38: parse error: unclosed left parenthesis\"}");

        assertThat(result).isEqualTo(new Result.NoData(
                "query error (bad_data): 1:38: parse error: unclosed left parenthesis", true));
    }

    @Test
    void severalSeriesAskForAnAggregation() {
        assertThat(PrometheusClient.read(200, vector("[{\"value\":[1,\"1\"]},{\"value\":[1,\"2\"]}]")))
                .isInstanceOfSatisfying(Result.NoData.class, noData -> assertThat(noData.reason()).contains("sum()"));
    }

    @Test
    void anAnswerThatIsNotPrometheusIsNoData() {
        assertThat(PrometheusClient.read(502, "<html>bad gateway</html>"))
                .isEqualTo(new Result.NoData("HTTP 502 without a Prometheus answer", false));
    }

    @Test
    void aCombinedQueryTagsEachPartWithItsIndex() {
        assertThat(PrometheusClient.combined(List.of("sum(a)", "sum(b)")))
                .isEqualTo("label_replace((sum(a)), \"twostep_query\", \"0\", \"\", \"\")"
                        + " or label_replace((sum(b)), \"twostep_query\", \"1\", \"\", \"\")");
    }

    @Test
    void aCombinedAnswerIsReadPartByPartAsSingleAnswersAre() {
        List<Result> parts = PrometheusClient.readParts(200, vector("""
                [{"metric":{"twostep_query":"2"},"value":[1,"7"]},
                 {"metric":{"twostep_query":"0"},"value":[1,"40"]},
                 {"metric":{"twostep_query":"3","pod":"a"},"value":[1,"1"]},
                 {"metric":{"twostep_query":"3","pod":"b"},"value":[1,"2"]}]"""), 4);

        assertThat(parts.get(0)).isEqualTo(new Result.Value(40));
        assertThat(parts.get(1)).isEqualTo(new Result.NoData("empty result: the query names no series", false));
        assertThat(parts.get(2)).isEqualTo(new Result.Value(7));
        assertThat(parts.get(3)).isInstanceOfSatisfying(Result.NoData.class,
                noData -> assertThat(noData.reason()).contains("2 series"));
    }

    @Test
    void placeholdersAreFilledAndLabelValuesEscaped() {
        PromQlTemplate template = new PromQlTemplate(
                "sum(increase(x{feature=\"{{feature}}\",variant=\"{{ variant }}\"}[{{window}}]))");

        assertThat(template.fill("a\"b", "prod", null, "on", Duration.ofMinutes(5)))
                .isEqualTo("sum(increase(x{feature=\"a\\\"b\",variant=\"on\"}[300s]))");
        assertThat(new PromQlTemplate("x{app=\"{{app}}\"}").unknownPlaceholders()).containsExactly("app");
    }

    private static String vector(String result) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":" + result + "}}";
    }
}
