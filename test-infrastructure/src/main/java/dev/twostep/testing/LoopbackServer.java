package dev.twostep.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The JDK's HTTP server on a free loopback port, for the stand-ins a test puts where a peer answers in production (an
 * analyzer, a Prometheus, a webhook receiver, a scraped application): real HTTP on a real socket, no mocking library.
 */
public final class LoopbackServer implements AutoCloseable {

    private final HttpServer server;

    private LoopbackServer(HttpServer server) {
        this.server = server;
    }

    /** Serves each path prefix with its handler, on the server's own single thread. */
    public static LoopbackServer start(Map<String, HttpHandler> handlers) {
        return start(handlers, null);
    }

    /**
     * Serves each path prefix with its handler, on {@code executor}'s threads: for a stand-in whose handlers block,
     * such as a receiver that holds requests open.
     */
    public static LoopbackServer start(Map<String, HttpHandler> handlers, Executor executor) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on a loopback port", e);
        }
        handlers.forEach(server::createContext);
        server.setExecutor(executor);
        server.start();
        return new LoopbackServer(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>}, with no trailing slash. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Answers with {@code status} and {@code body}, encoded in UTF-8, as {@code contentType}. */
    public static void answer(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
