package dev.twostep.releasecontroller.intake;

import dev.twostep.outbox.GrouplessConsumers;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Alternative;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The follower's real consumers, on the real broker, with two things a test controls: they deliver nothing until
 * {@link #letThrough()}, so a test sees the replica before its snapshot caught up; and {@link #failNextPoll()} makes
 * the next poll throw, as a broker error would. They note where the follower stood at that error and what they
 * delivered after it, so a test can tell going on from reading the topic again from the beginning.
 */
@Alternative
@Singleton
public class HeldBackConsumers extends GrouplessConsumers {

    public record Delivered(TopicPartition partition, long offset) {
    }

    private final CountDownLatch held = new CountDownLatch(1);
    private final AtomicBoolean failNextPoll = new AtomicBoolean();
    private final AtomicInteger opened = new AtomicInteger();
    private final Map<TopicPartition, Long> positionsAtError = new ConcurrentHashMap<>();
    private final List<Delivered> deliveredAfterError = new CopyOnWriteArrayList<>();

    HeldBackConsumers(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        super(kafkaConfig);
    }

    public void letThrough() {
        held.countDown();
    }

    public void failNextPoll() {
        failNextPoll.set(true);
    }

    /** How many consumers the follower has opened: one more after each error. */
    public int opened() {
        return opened.get();
    }

    public Map<TopicPartition, Long> positionsAtError() {
        return Map.copyOf(positionsAtError);
    }

    public List<Delivered> deliveredAfterError() {
        return List.copyOf(deliveredAfterError);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Consumer<String, byte[]> open(String clientId, Map<String, Object> overrides) {
        Consumer<String, byte[]> real = super.open(clientId, overrides);
        opened.incrementAndGet();
        return (Consumer<String, byte[]>) Proxy.newProxyInstance(Consumer.class.getClassLoader(),
                new Class<?>[]{Consumer.class}, (proxy, method, args) -> method.getName().equals("poll")
                        ? poll(real, (Duration) args[0]) : invoke(real, method, args));
    }

    private ConsumerRecords<String, byte[]> poll(Consumer<String, byte[]> real, Duration timeout)
            throws InterruptedException {
        if (!held.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return ConsumerRecords.empty();
        }
        if (failNextPoll.getAndSet(false)) {
            real.assignment().forEach(partition -> positionsAtError.put(partition, real.position(partition)));
            throw new KafkaException("a broker error, simulated by the test");
        }
        ConsumerRecords<String, byte[]> records = real.poll(timeout);
        if (!positionsAtError.isEmpty()) {
            records.forEach(r -> deliveredAfterError.add(new Delivered(new TopicPartition(r.topic(), r.partition()),
                    r.offset())));
        }
        return records;
    }

    private static Object invoke(Consumer<String, byte[]> real, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
