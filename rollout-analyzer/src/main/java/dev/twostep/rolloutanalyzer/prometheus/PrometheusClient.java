package dev.twostep.rolloutanalyzer.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One instant query against the Prometheus HTTP API ({@code POST /api/v1/query}, form-encoded, so a long query
 * never meets a URL length limit). Every way a query can fail to give one number ends as {@link Result.NoData}
 * with the reason, never as an exception and never as a zero: a zero would read as a healthy arm.
 */
public final class PrometheusClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Duration timeout;

    public PrometheusClient(Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.timeout = timeout;
    }

    public sealed interface Result {
        /** One finite, non-negative value. */
        record Value(double value) implements Result {
        }

        /**
         * @param parseError true when Prometheus refused the query itself ({@code bad_data}), which no retry mends
         */
        record NoData(String reason, boolean parseError) implements Result {
        }
    }

    /** @param bearerToken sent as {@code Authorization: Bearer}; empty for none */
    public Result query(URI base, Optional<String> bearerToken, String query, Instant at) {
        String form = "query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&time=" + (at.toEpochMilli() / 1000.0);
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/api/v1/query"))
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        bearerToken.ifPresent(token -> request.header("Authorization", "Bearer " + token));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new Result.NoData("unreachable: " + base + ": " + describe(e), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result.NoData("interrupted", false);
        }
        return read(response.statusCode(), response.body());
    }

    static Result read(int status, String body) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            return new Result.NoData("HTTP " + status + " without a Prometheus answer", false);
        }
        if (!"success".equals(json.path("status").asText())) {
            String type = json.path("errorType").asText("unknown");
            return new Result.NoData("query error (" + type + "): " + json.path("error").asText("HTTP " + status),
                    "bad_data".equals(type));
        }
        JsonNode data = json.path("data");
        JsonNode value;
        switch (data.path("resultType").asText()) {
            case "scalar" -> value = data.path("result");
            case "vector" -> {
                JsonNode series = data.path("result");
                if (series.isEmpty()) {
                    return new Result.NoData("empty result: the query names no series", false);
                }
                if (series.size() > 1) {
                    return new Result.NoData("the query returned " + series.size()
                            + " series where one number is needed; aggregate it, for example with sum()", true);
                }
                value = series.get(0).path("value");
            }
            default -> {
                return new Result.NoData("the query returned a " + data.path("resultType").asText()
                        + " where one number is needed", true);
            }
        }
        double number;
        try {
            number = Double.parseDouble(value.path(1).asText());
        } catch (NumberFormatException e) {
            return new Result.NoData("not a number: " + value.path(1).asText(), false);
        }
        if (Double.isNaN(number) || Double.isInfinite(number)) {
            return new Result.NoData("the value is " + number, false);
        }
        if (number < 0) {
            return new Result.NoData("a negative count (" + number + ")", false);
        }
        return new Result.Value(number);
    }

    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
