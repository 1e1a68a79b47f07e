package io.qshard.kube.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuantitiesTest {
    @ParameterizedTest(name = "{0} → {1} milli")
    @CsvSource({"500m, 500", "2, 2000", "1.5, 1500", "0.1, 100", "1001m, 1001", "1k, 1000000", "100u, 1"
    }) // 100µ rounds up
    void milli(String q, long expected) {
        assertThat(Quantities.milli(new Quantity(q))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "1Gi, 1073741824",
        "128Mi, 134217728",
        "1k, 1000",
        "1M, 1000000",
        "123, 123",
        "1.5Gi, 1610612736",
        "1e3, 1000",
        "500m, 1"
    }) // fractional bytes round up
    void value(String q, long expected) {
        assertThat(Quantities.value(new Quantity(q))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"-1", "lots"})
    void invalidQuantitiesAreErrors(String q) {
        assertThatThrownBy(() -> Quantities.value(new Quantity(q))).isInstanceOf(RuntimeException.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "0",
        "7",
        "500m",
        "1001m",
        "100u",
        "2",
        "1.5",
        "1k",
        "1M",
        "1G",
        "1T",
        "1P",
        "1e3",
        "1Ki",
        "128Mi",
        "1Gi",
        "1.5Gi",
        "1Ti",
        "1Pi",
        "104845292Ki",
        "95551679124",
        "123456789012345",
        "1234567890123456",
        "0.1"
    })
    void stringsParseAsTheirQuantity(String s) {
        // the decoder's path (no Quantity object for plain integers with a suffix) agrees with fabric8's parser
        assertThat(Quantities.value(s)).isEqualTo(Quantities.value(new Quantity(s)));
        assertThat(Quantities.milli(s)).isEqualTo(Quantities.milli(new Quantity(s)));
    }

    @ParameterizedTest
    @CsvSource({"-1", "lots", "1Xi"})
    void invalidStringsAreErrors(String q) {
        assertThatThrownBy(() -> Quantities.value(q)).isInstanceOf(RuntimeException.class);
    }
}
