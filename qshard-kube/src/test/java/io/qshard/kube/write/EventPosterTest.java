package io.qshard.kube.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventPosterTest {
    private static final PodRequest POD = new PodRequest(
            "u-1",
            "team-a",
            "web-1",
            "prod",
            PoolRule.ALLOCATABLE,
            new Resources(100, 1L << 27, 1, 0, 0),
            Map.of(),
            null,
            List.of(),
            1000,
            Instant.EPOCH,
            null,
            null);

    @Test
    void theBodyIsAnEventAboutThePodWithEveryStringEscaped() {
        String message =
                "0/3 nodes are available: 1 node(s) had taint {dedicated: \"gpu\"}, that the pod didn't tolerate,\n"
                        + "2 Insufficient cpu — \\ ü";
        String json = new String(
                EventPoster.body(
                        POD,
                        "Warning",
                        "FailedScheduling",
                        message,
                        Instant.parse("2026-12-02T01:02:03.456Z"),
                        "qshard-prod"),
                StandardCharsets.UTF_8);
        Event e = new KubernetesSerialization().unmarshal(json, Event.class);
        assertThat(e.getMetadata().getGenerateName()).isEqualTo("web-1.");
        assertThat(e.getMetadata().getNamespace()).isEqualTo("team-a");
        assertThat(e.getInvolvedObject().getKind()).isEqualTo("Pod");
        assertThat(e.getInvolvedObject().getName()).isEqualTo("web-1");
        assertThat(e.getInvolvedObject().getNamespace()).isEqualTo("team-a");
        assertThat(e.getInvolvedObject().getUid()).isEqualTo("u-1");
        assertThat(e.getType()).isEqualTo("Warning");
        assertThat(e.getReason()).isEqualTo("FailedScheduling");
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(e.getSource().getComponent()).isEqualTo("qshard-prod");
        assertThat(e.getReportingComponent()).isEqualTo("qshard-prod");
        assertThat(e.getFirstTimestamp()).isEqualTo("2026-12-02T01:02:03Z");
        assertThat(e.getLastTimestamp()).isEqualTo("2026-12-02T01:02:03Z");
        assertThat(e.getCount()).isEqualTo(1);
    }
}
