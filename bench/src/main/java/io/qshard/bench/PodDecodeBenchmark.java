package io.qshard.bench;

import io.qshard.kube.convert.PodJsonReader;
import io.qshard.kube.convert.RawPod;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.core.JsonParser;

/**
 * The pod reflector's per-event cost: {@link PodJsonReader#read} of one pod as the apiserver serialises it. {@code
 * plainPod}: a bound Deployment pod asking for cpu and memory only (≈ 2.5 KB with managedFields, the common watch
 * event; {@link CacheHeapBench#podJson}); {@code richPod}: a pending pod with a GPU, ephemeral storage, an init
 * container, a restartable sidecar, a host port and a claim. Uses only the reader's entry point and {@link
 * RawPod#requests()}, so the same class measures an older build too:
 *
 * <pre>java -jar bench/target/benchmarks.jar PodDecodeBenchmark -f1 -wi 3 -i 5</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PodDecodeBenchmark {
    private final String plain = CacheHeapBench.podJson("team-7", "app-42", "uid-42-7", "node-00042", 250, 512);

    private final String rich = """
            {"kind":"Pod","apiVersion":"v1","metadata":{"name":"trainer-0","generateName":"trainer-","namespace":"ml",
             "uid":"5b0f2a7e-1c3d-4e5f-8a9b-0c1d2e3f4a5b","resourceVersion":"918273",
             "creationTimestamp":"2026-11-24T10:00:00Z","labels":{"app":"trainer"},
             "ownerReferences":[{"apiVersion":"apps/v1","kind":"StatefulSet","name":"trainer","uid":"0a1b",
               "controller":true,"blockOwnerDeletion":true}]},
             "spec":{"volumes":[{"name":"data","persistentVolumeClaim":{"claimName":"data-trainer-0"}},
               {"name":"kube-api-access","projected":{"sources":[{"serviceAccountToken":{"expirationSeconds":3607,
               "path":"token"}}],"defaultMode":420}}],
             "initContainers":[{"name":"fetch","image":"busybox:1.36","resources":{"requests":{"cpu":"500m",
               "memory":"256Mi","ephemeral-storage":"5Gi"}},"terminationMessagePath":"/dev/termination-log",
               "imagePullPolicy":"IfNotPresent"},
              {"name":"metrics","image":"prom/node-exporter:v1.7.0","ports":[{"containerPort":9100,"hostPort":9100,
               "protocol":"TCP"}],"resources":{"requests":{"cpu":"50m","memory":"64Mi"}},"restartPolicy":"Always",
               "terminationMessagePath":"/dev/termination-log","imagePullPolicy":"IfNotPresent"}],
             "containers":[{"name":"trainer","image":"nvcr.io/nvidia/pytorch:24.01-py3",
               "resources":{"limits":{"cpu":"4","memory":"16Gi","nvidia.com/gpu":"1","ephemeral-storage":"20Gi"},
               "requests":{"cpu":"4","memory":"16Gi","nvidia.com/gpu":"1","ephemeral-storage":"20Gi"}},
               "volumeMounts":[{"name":"data","mountPath":"/data"}],"terminationMessagePath":"/dev/termination-log",
               "imagePullPolicy":"IfNotPresent"}],
             "restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst",
             "serviceAccountName":"default","securityContext":{},"schedulerName":"qshard-prod",
             "tolerations":[{"key":"nvidia.com/gpu","operator":"Exists","effect":"NoSchedule"},
               {"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},
               {"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}],
             "priority":0,"enableServiceLinks":true},
             "status":{"phase":"Pending","qosClass":"Burstable"}}
            """;

    @Benchmark
    public RawPod plainPod() {
        return decode(plain);
    }

    @Benchmark
    public RawPod richPod() {
        return decode(rich);
    }

    private static RawPod decode(String json) {
        try (JsonParser p = PodJsonReader.MAPPER.createParser(json)) {
            p.nextToken();
            RawPod pod = PodJsonReader.read(p);
            if (pod.requests().milliCpu() <= 0) {
                throw new IllegalStateException("decoded no cpu request");
            }
            return pod;
        }
    }
}
