package io.qshard.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResourcesTest {
    private final Resources a = new Resources(1000, 2048, 1, 300, 400);
    private final Resources b = new Resources(500, 1024, 1, 100, 100);

    @Test
    void arithmeticIsComponentWise() {
        assertThat(a.plus(b)).isEqualTo(new Resources(1500, 3072, 2, 400, 500));
        assertThat(a.minus(b)).isEqualTo(new Resources(500, 1024, 0, 200, 300));
        assertThat(b.minus(a).isNonNegative()).isFalse();
        assertThat(a.max(new Resources(0, 4096, 0, 0, 500))).isEqualTo(new Resources(1000, 4096, 1, 300, 500));
    }

    @Test
    void fitsRequiresEveryComponent() {
        assertThat(b.fitsIn(a)).isTrue();
        assertThat(a.fitsIn(b)).isFalse();
        assertThat(new Resources(1000, 2048, 1, 300, 401).fitsIn(a)).isFalse();
    }

    @Test
    void insufficientNamesOnlyRequestedResourcesThatDoNotFit() {
        Resources free = new Resources(400, 4096, 0, 0, 0);
        // cpu 500 > 400, memory fits, pods 1 > 0, batch 100 > 0 and 100 > 0
        assertThat(b.insufficient(free))
                .containsExactly(
                        ResourceNames.CPU, ResourceNames.PODS, ResourceNames.BATCH_CPU, ResourceNames.BATCH_MEMORY);
        // a pod asking nothing of a resource is never short of it, even when the node is over (negative room)
        assertThat(Resources.of(100, 0).insufficient(new Resources(100, -5, -1, -1, -1)))
                .isEmpty();
    }

    @Test
    void equalOnEveryComponentAndOnlyThen() {
        Resources base = new Resources(1, 2, 3, 4, 5);
        assertThat(new Resources(1, 2, 3, 4, 5)).isEqualTo(base).hasSameHashCodeAs(base);
        // one component different at a time: never equal
        assertThat(java.util.List.of(
                        new Resources(9, 2, 3, 4, 5),
                        new Resources(1, 9, 3, 4, 5),
                        new Resources(1, 2, 9, 4, 5),
                        new Resources(1, 2, 3, 9, 5),
                        new Resources(1, 2, 3, 4, 9)))
                .allSatisfy(r -> assertThat(r).isNotEqualTo(base));
        assertThat(base).isNotEqualTo(null).isNotEqualTo("1,2,3,4,5");
    }
}
