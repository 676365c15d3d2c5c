package dev.twostep.console.notification;

import com.sun.net.httpserver.HttpExchange;
import dev.twostep.testing.LoopbackServer;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real local HTTP receiver (the JDK's server) whose first path segment says how it answers: {@code ok} 200,
 * {@code flaky} 500 to the first post and 200 after, {@code failing} 503 always, {@code hang} nothing until
 * {@link #close()}. Every post is recorded with its headers and body. Public for the two-console test in {@code rest}.
 */
public final class Receiver implements AutoCloseable {

    public record Post(String path, Map<String, List<String>> headers, byte[] body, Instant at) {
        public String header(String name) {
            return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                    .map(h -> h.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    private final LoopbackServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger hanging = new AtomicInteger();

    public Receiver() {
        server = LoopbackServer.start(Map.of("/", this::answer), threads);
    }

    public String url(String path) {
        return server.url() + path;
    }

    public List<Post> posts(String path) {
        return posts.stream().filter(post -> post.path().equals(path)).toList();
    }

    /** Posts to {@code hang} paths that are being held right now. */
    int hangingNow() {
        return hanging.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] body = exchange.getRequestBody().readAllBytes();
        posts.add(new Post(path, Map.copyOf(exchange.getRequestHeaders()), body, Instant.now()));
        int count = seen.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        String kind = path.split("/")[1];
        int status = switch (kind) {
            case "flaky" -> count == 1 ? 500 : 200;
            case "failing" -> 503;
            case "hang" -> hang();
            default -> 200;
        };
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private int hang() {
        hanging.incrementAndGet();
        try {
            release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            hanging.decrementAndGet();
        }
        return 200;
    }

    @Override
    public void close() {
        release.countDown();
        server.close();
        threads.shutdownNow();
    }
}
