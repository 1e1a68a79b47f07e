package io.qshard.core.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qshard.core.pool.PoolConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IsolationPolicyTest {
    private final IsolationPolicy policy = IsolationPolicy.of(PoolConfig.defaults()); // 0.85 target, 0.05 margin

    @ParameterizedTest(name = "alloc {0}, prod {1}, mid {2} → besteffort {3}")
    @CsvSource({
        // peakCap = 0.85 × alloc, margin = 0.05 × alloc; box = peakCap − prod − mid − margin, ≥ 0
        "10000, 2000,    0, 6000", // 8500 − 2000 − 500
        "10000, 2000, 1500, 4500", // 8500 − 2000 − 1500 − 500
        "10000, 7000,    0, 1000", // 8500 − 7000 − 500: at the seeds' eviction line
        "10000, 8200,    0,    0", // 8500 − 8200 − 500 < 0 → 0
        "16000,    0,    0, 12800", // 13600 − 800
    })
    void besteffortBoxIsWhatProdAndMidLeaveUnderPeakCap(long alloc, long prod, long mid, long box) {
        assertThat(policy.besteffortMilli(alloc, prod, mid)).isEqualTo(box);
    }

    @ParameterizedTest(name = "alloc {0}, prod {1}, mid requests {2} → burstable {3}")
    @CsvSource({
        "10000, 2000, 1000, 6000", // 8500 − 2000 − 500
        "10000, 6000, 1000, 2000", // 8500 − 6000 − 500
        "10000, 7500, 1000, 1000", // 8500 − 7500 − 500 = 500 < mid's requests → 1000
    })
    void burstableQuotaFallsAsProdRisesButNotBelowRequests(long alloc, long prod, long midRequests, long quota) {
        assertThat(policy.burstableMilli(alloc, prod, midRequests)).isEqualTo(quota);
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0.05, targetUtilization",
        "1.2, 0.05, targetUtilization",
        "0.8, 0.8, safetyMargin",
        "0.8, -0.1, safetyMargin"
    })
    void invalidPoliciesNameTheField(double target, double margin, String field) {
        assertThatThrownBy(() -> new IsolationPolicy(target, margin)).hasMessageContaining(field);
    }
}
