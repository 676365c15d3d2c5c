package dev.twostep.deployorchestrator.target;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client-side gate on the writes (PATCH) of one Deployment, which is how fabric8's {@code edit} writes
 * after its read. The first write waits until the test releases it, so the test can act between a
 * supervisor pass's read of the Deployment and its write. A later write releases the first and waits
 * until the API server has answered it: of two passes that both read before either wrote, the second
 * then writes with an outdated resourceVersion, every time.
 */
final class PatchGate implements Interceptor {

    private final String path;
    private final AtomicInteger writes = new AtomicInteger();
    private final CountDownLatch firstArrived = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch firstAnswered = new CountDownLatch(1);

    PatchGate(String deploymentName) {
        this.path = "/apis/apps/v1/namespaces/" + Workloads.NAMESPACE + "/deployments/" + deploymentName;
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        if (!isWrite(request)) {
            return;
        }
        if (writes.incrementAndGet() == 1) {
            firstArrived.countDown();
            await(released, "the test to release the first write");
        } else {
            released.countDown();
            await(firstAnswered, "the API server to answer the first write");
        }
    }

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        if (isWrite(request)) {
            firstAnswered.countDown();
        }
    }

    /** Returns once a pass has read the Deployment and is held at its first write. */
    void awaitFirstWrite() {
        await(firstArrived, "a supervisor pass to write the Deployment");
    }

    void release() {
        released.countDown();
    }

    /** How many writes of the Deployment were sent, whatever the API server answered. */
    int writes() {
        return writes.get();
    }

    private boolean isWrite(HttpRequest request) {
        return "PATCH".equals(request.method()) && path.equals(request.uri().getPath());
    }

    private static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("waited 30 s for " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        }
    }
}
