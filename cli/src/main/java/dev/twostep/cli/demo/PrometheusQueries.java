package dev.twostep.cli.demo;

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
import java.util.Optional;

/** The little of Prometheus's HTTP API the demo asks itself: is it up, and has it scraped a series yet. */
public final class PrometheusQueries {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private PrometheusQueries() {
    }

    /** Whether Prometheus at {@code url} answers its readiness check. */
    public static boolean ready(URI url) {
        return get(url.resolve("/-/ready")).map(response -> response.statusCode() == 200).orElse(false);
    }

    /** The first value of an instant query; empty while it names no series, or Prometheus cannot be asked. */
    public static Optional<Double> instant(URI url, String query) {
        return get(url.resolve("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                .filter(response -> response.statusCode() == 200)
                .flatMap(response -> {
                    try {
                        JsonNode result = JSON.readTree(response.body()).path("data").path("result");
                        return result.isEmpty() ? Optional.empty()
                                : Optional.of(result.get(0).path("value").get(1).asDouble());
                    } catch (IOException e) {
                        return Optional.empty();
                    }
                });
    }

    private static Optional<HttpResponse<String>> get(URI uri) {
        try {
            return Optional.of(HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
