package io.qshard.bench.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.localcluster.fixtures.PodFixture;
import java.util.ArrayList;
import java.util.List;

/** The default backlog: prod-shaped pods (100m / 128Mi) without placement rules, on {@link BacklogOptions}' fleet. */
final class PlainWorkload implements BacklogWorkload {
    static final PlainWorkload INSTANCE = new PlainWorkload();

    private PlainWorkload() {}

    @Override
    public String describe() {
        return "prod-shaped pods (100m / 128Mi)";
    }

    @Override
    public void registerFleet(KubernetesClient admin, BacklogOptions o) {
        o.registerFleet(admin);
    }

    @Override
    public List<Pod> pods(String namespace, int count, String schedulerName) {
        List<Pod> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(PodFixture.pod("p-" + i)
                    .namespace(namespace)
                    .tier("prod")
                    .schedulerName(schedulerName)
                    .cpuMilli(100)
                    .memoryMi(128)
                    .build());
        }
        return out;
    }
}
