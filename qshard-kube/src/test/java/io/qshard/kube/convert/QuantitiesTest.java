package io.qshard.kube.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;
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

    @ParameterizedTest(name = "{0} → {1}, {2} milli")
    @CsvSource({
        // the apiserver's cap of a binary quantity (10Ei is served as 2^63 - 1): kube's Value() is that cap too
        "9223372036854775807, 9223372036854775807, 9223372036854775807",
        "9223372036854775806, 9223372036854775806, 9223372036854775807",
        "10Ei, 9223372036854775807, 9223372036854775807", // 1.15e19 bytes
        "8Ei, 9223372036854775807, 9223372036854775807", // 2^63, one past the range
        "7Ei, 8070450532247928832, 9223372036854775807", // 7 * 2^60 fits; in milli-units it does not
        "1e18, 1000000000000000000, 9223372036854775807", // cpu 1e18 cores in milli-cores
        "20E, 9223372036854775807, 9223372036854775807", // decimal: kept exact by the API, beyond a long
        "1e400, 9223372036854775807, 9223372036854775807", // compared before rounding, never expanded
        "999999999999999Pi, 9223372036854775807, 9223372036854775807", // the fast path: 15 digits * 2^50
        "9223372036854776k, 9223372036854775807, 9223372036854775807", // 16 digits: the slow path
        "9223372036854775807m, 9223372036854776, 9223372036854775807",
        "1e-400, 1, 1" // a tiny amount still rounds up to one unit
    })
    void quantitiesBeyondALongSaturate(String q, long value, long milli) {
        assertThat(Quantities.value(q)).isEqualTo(value);
        assertThat(Quantities.milli(q)).isEqualTo(milli);
        assertThat(Quantities.value(new Quantity(q))).isEqualTo(value);
        assertThat(Quantities.milli(new Quantity(q))).isEqualTo(milli);
        char[] buffer = ("x" + q + "y").toCharArray(); // a parser's buffer: the quantity in the middle
        assertThat(Quantities.value(buffer, 1, q.length())).isEqualTo(value);
        assertThat(Quantities.milli(buffer, 1, q.length())).isEqualTo(milli);
    }

    @Test
    void sumsSaturateInsteadOfWrappingAround() {
        assertThat(Quantities.plus(2, 3)).isEqualTo(5);
        assertThat(Quantities.plus(Long.MAX_VALUE, 1)).isEqualTo(Long.MAX_VALUE);
        assertThat(Quantities.plus(Long.MAX_VALUE - 5, 5)).isEqualTo(Long.MAX_VALUE);
        assertThat(Quantities.plus(Long.MAX_VALUE - 5, 4)).isEqualTo(Long.MAX_VALUE - 1);
        assertThat(Quantities.plus(Long.MAX_VALUE, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(Quantities.plus(Long.MAX_VALUE, -1)).isEqualTo(Long.MAX_VALUE - 1);
        assertThat(Quantities.plus(Long.MIN_VALUE, -1)).isEqualTo(Long.MIN_VALUE);
        assertThat(Quantities.plus(-4, 1)).isEqualTo(-3);
    }
}
