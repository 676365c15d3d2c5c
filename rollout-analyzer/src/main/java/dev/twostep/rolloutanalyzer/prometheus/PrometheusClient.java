package dev.twostep.rolloutanalyzer.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Instant queries against the Prometheus HTTP API ({@code POST /api/v1/query}, form-encoded, so a long query
 * never meets a URL length limit). Every way a query can fail to give one number ends as {@link Result.NoData}
 * with the reason, never as an exception and never as a zero: a zero would read as a healthy arm.
 *
 * <p>A look needs several numbers at one instant (each arm's total and good or bad count), so {@link #queryAll}
 * sends them as one query: each part tagged with a label of its own and joined with {@code or}. A thousand
 * rollouts with two guards each read every 10 s would otherwise send 800 queries a second; Prometheus spends
 * most of a small query's time on the request, not on the sum.
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

    /** The label that says which part of a combined query a series answers. */
    static final String PART_LABEL = "twostep_query";

    /**
     * The queries' answers at one instant, in their order, from one request. When Prometheus refuses the combined
     * query itself ({@code bad_data}: a part that gives a scalar cannot carry a label), each part is sent on its own,
     * so that the answer names the part at fault as before.
     */
    public List<Result> queryAll(URI base, Optional<String> bearerToken, List<String> queries, Instant at) {
        if (queries.size() == 1) {
            return List.of(query(base, bearerToken, queries.getFirst(), at));
        }
        Answer answer = send(base, bearerToken, combined(queries), at);
        Result failure = answer.failure();
        if (failure instanceof Result.NoData noData && noData.parseError()) {
            return queries.stream().map(query -> query(base, bearerToken, query, at)).toList();
        }
        if (failure != null) {
            return Collections.nCopies(queries.size(), failure);
        }
        return readParts(answer.status(), answer.body(), queries.size());
    }

    /** {@code label_replace((q0), "twostep_query", "0", "", "") or label_replace((q1), ...)}. */
    static String combined(List<String> queries) {
        StringBuilder combined = new StringBuilder();
        for (int part = 0; part < queries.size(); part++) {
            if (part > 0) {
                combined.append(" or ");
            }
            combined.append("label_replace((").append(queries.get(part)).append("), \"").append(PART_LABEL)
                    .append("\", \"").append(part).append("\", \"\", \"\")");
        }
        return combined.toString();
    }

    /** Splits a combined answer by part; each part is then read as {@link #read} reads a single query. */
    static List<Result> readParts(int status, String body, int parts) {
        JsonNode series;
        try {
            series = JSON.readTree(body).path("data").path("result");
        } catch (IOException e) {
            return Collections.nCopies(parts, new Result.NoData("HTTP " + status + " without a Prometheus answer",
                    false));
        }
        List<ArrayNode> byPart = new ArrayList<>();
        for (int part = 0; part < parts; part++) {
            byPart.add(JSON.createArrayNode());
        }
        for (JsonNode one : series) {
            String part = one.path("metric").path(PART_LABEL).asText("");
            if (part.matches("\\d+") && Integer.parseInt(part) < parts) {
                byPart.get(Integer.parseInt(part)).add(one);
            }
        }
        List<Result> results = new ArrayList<>();
        for (ArrayNode part : byPart) {
            results.add(readData(JSON.createObjectNode().put("resultType", "vector").set("result", part)));
        }
        return results;
    }

    /** @param bearerToken sent as {@code Authorization: Bearer}; empty for none */
    public Result query(URI base, Optional<String> bearerToken, String query, Instant at) {
        Answer answer = send(base, bearerToken, query, at);
        return answer.failure() != null ? answer.failure() : read(answer.status(), answer.body());
    }

    /** What came back: a status and a body, or the failure that left none. */
    private record Answer(int status, String body, Result failure) {
    }

    private Answer send(URI base, Optional<String> bearerToken, String query, Instant at) {
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
            return new Answer(0, null, new Result.NoData("unreachable: " + base + ": " + describe(e), false));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, null, new Result.NoData("interrupted", false));
        }
        if (response.statusCode() != 200) {
            return new Answer(response.statusCode(), response.body(), read(response.statusCode(), response.body()));
        }
        return new Answer(200, response.body(), null);
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
        return readData(json.path("data"));
    }

    private static Result readData(JsonNode data) {
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
