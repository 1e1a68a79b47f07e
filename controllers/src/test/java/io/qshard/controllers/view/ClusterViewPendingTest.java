package io.qshard.controllers.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Resources;
import io.qshard.core.model.Tier;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ClusterView}'s pending pods ({@code keepsPending}): the borrowing tiers' pods that are not bound, finished,
 * terminating or being deleted. Events and reads run in order on the view's thread, so a read sees every event sent
 * before it.
 */
class ClusterViewPendingTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final QshardConfig CONFIG = QshardConfig.defaults();

    private ClusterView view;

    @AfterEach
    void close() {
        if (view != null) {
            view.close();
        }
    }

    @Test
    void keepsTheBorrowingTiersPendingPodsOnly() throws Exception {
        view = new ClusterView(CONFIG, Clock.fixed(NOW, ZoneOffset.UTC), "test", false, true);
        view.podUpserted(pod("a", "batch", null, false), false, false);
        view.podUpserted(pod("prod", "prod", null, false), false, false);
        view.podUpserted(pod("foreign", null, null, false), false, false);
        view.podUpserted(pod("bound", "batch", "n1", false), false, false);
        view.podUpserted(pod("gone", "batch", null, false), false, true);
        view.podUpserted(pod("ending", "batch", null, true), false, false);
        view.podUpserted(pod("done", "batch", null, false), true, false);

        assertThat(pendingUids()).containsExactly("uid-a");
    }

    @Test
    void forgetsAPendingPodOnceBoundTerminatingFinishedOrDeleted() throws Exception {
        view = new ClusterView(CONFIG, Clock.fixed(NOW, ZoneOffset.UTC), "test", false, true);
        for (String n : List.of("bound", "ending", "done", "deleted", "stays")) {
            view.podUpserted(pod(n, "batch", null, false), false, false);
        }
        assertThat(pendingUids()).hasSize(5);

        view.podUpserted(pod("bound", "batch", "n1", false), false, false);
        view.podUpserted(pod("ending", "batch", null, true), false, false);
        view.podUpserted(pod("done", "batch", null, false), true, false);
        view.podDeleted("uid-deleted");

        assertThat(pendingUids()).containsExactly("uid-stays");
    }

    @Test
    void keepsNoneUnlessAsked() throws Exception {
        view = new ClusterView(CONFIG, Clock.fixed(NOW, ZoneOffset.UTC), "test", false, false);
        view.podUpserted(pod("a", "batch", null, false), false, false);

        assertThat(pendingUids()).isEmpty();
    }

    private Set<String> pendingUids() throws Exception {
        return view.read(s -> Set.copyOf(s.pending().keySet())).get(10, TimeUnit.SECONDS);
    }

    private static PodRequest pod(String name, String tierName, String node, boolean terminating) {
        Tier tier = tierName == null ? null : CONFIG.tier(tierName);
        return new PodRequest(
                "uid-" + name,
                "ns",
                name,
                tierName,
                tier == null ? io.qshard.core.model.PoolRule.BATCH_POOL : tier.poolRule(),
                tier != null && tier.poolRule() == io.qshard.core.model.PoolRule.ALLOCATABLE
                        ? new Resources(500, 1L << 30, 1, 0, 0)
                        : new Resources(0, 0, 1, 500, 1L << 30),
                Map.of(),
                null,
                List.of(),
                0,
                NOW,
                null,
                node,
                Map.of(),
                null,
                List.of(),
                terminating);
    }
}
