package io.qshard.bench.webhook;

import io.qshard.oversale.AdmissionHandler;
import io.qshard.oversale.WebhookMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The oversale webhook's admission handler on one thread (one core): a kubelet status update of a real-sized node
 * (18 KB review: object + oldObject with 30 images, conditions, nodeInfo) parsed, scaled and answered with a JSON
 * patch. Throughput and the latency distribution (SampleTime).
 *
 * <pre>java -jar bench/target/benchmarks.jar AdmissionHandlerBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 5)
@Fork(
        value = 1,
        jvmArgsAppend = {"-XX:+UseSerialGC"})
public class AdmissionHandlerBenchmark {
    private AdmissionHandler handler;
    private byte[] review;

    @Setup
    public void setUp() throws IOException {
        handler = new AdmissionHandler(2.0, 1.5, new WebhookMetrics());
        review = Files.readAllBytes(Path.of(
                System.getProperty("qshard.review", "oversale-webhook/src/test/resources/node-status-review.json")));
    }

    @Benchmark
    public byte[] review() throws AdmissionHandler.MalformedReview {
        return handler.handle(review);
    }
}
