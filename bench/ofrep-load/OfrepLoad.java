import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load on OFREP single-flag evaluation over loopback HTTP with keep-alive: CLIENTS threads, each with its own
 * connection, post evaluations back to back for SECONDS, after a warm-up. Prints evaluations/s and latency
 * percentiles. Needs the platform up and a released flag (FLAG, default new-payment-form, ENVIRONMENT dev).
 */
public class OfrepLoad {

    public static void main(String[] args) throws Exception {
        String base = System.getenv().getOrDefault("RELEASE_CONTROLLER", "http://127.0.0.1:8084");
        String flag = System.getenv().getOrDefault("FLAG", "new-payment-form");
        String environment = System.getenv().getOrDefault("ENVIRONMENT", "dev");
        int clients = Integer.parseInt(System.getenv().getOrDefault("CLIENTS", "8"));
        int seconds = Integer.parseInt(System.getenv().getOrDefault("SECONDS", "20"));
        URI uri = URI.create(base + "/ofrep/v1/evaluate/flags/" + flag);
        String apiKey = System.getenv("OFREP_API_KEY");

        run(uri, apiKey, environment, clients, 5, false);
        Result result = run(uri, apiKey, environment, clients, seconds, true);
        long[] sorted = result.latencies();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%d clients, %d s: %,d evaluations, %,.0f evaluations/s, errors %d%n",
                clients, seconds, sorted.length, sorted.length / (double) seconds, result.errors());
        System.out.printf(Locale.ROOT, "latency p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
                at(sorted, 0.50), at(sorted, 0.99), at(sorted, 0.999), sorted[sorted.length - 1] / 1e6);
    }

    record Result(long[] latencies, long errors) {
    }

    private static Result run(URI uri, String apiKey, String environment, int clients, int seconds, boolean keep)
            throws InterruptedException {
        long stop = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicLong errors = new AtomicLong();
        List<long[]> perClient = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            long[] latencies = new long[1_000_000];
            perClient.add(latencies);
            counts.add(0);
            int index = c;
            threads.add(Thread.ofPlatform().start(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                int n = 0;
                long user = index * 1_000_000L;
                while (System.nanoTime() < stop && n < latencies.length) {
                    HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                            .header("X-API-Key", apiKey)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"context\":{\"targetingKey\":\"user-"
                                    + (user++) + "\",\"environment\":\"" + environment + "\"}}")).build();
                    long start = System.nanoTime();
                    try {
                        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (response.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    latencies[n++] = System.nanoTime() - start;
                }
                synchronized (counts) {
                    counts.set(index, n);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!keep) {
            return new Result(new long[0], errors.get());
        }
        int total = counts.stream().mapToInt(Integer::intValue).sum();
        long[] all = new long[total];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(perClient.get(c), 0, all, at, counts.get(c));
            at += counts.get(c);
        }
        return new Result(all, errors.get());
    }

    private static double at(long[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }
}
