package io.qshard.shard.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.booking.Booking;
import io.qshard.core.model.Resources;
import io.qshard.core.model.ScalarResources;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The booking Lease's annotation: round trip, a hand edit that does not parse, and the Lease's name. */
class BookingCodecTest {

    @Test
    void bookingsSurviveTheRoundTrip() {
        List<Booking> in = List.of(
                new Booking("u-1", new Resources(100, 33_554_432, 1, 0, 0), 1_700_000_000_000L),
                new Booking("u-2", new Resources(0, 0, 1, 150, 1024, ScalarResources.of("nvidia.com/gpu", 1)), 5));

        String text = BookingCodec.encode(in);

        assertThat(text)
                .isEqualTo("u-1 1700000000000 cpu=100,memory=33554432,pods=1\n"
                        + "u-2 5 pods=1,qshard.io/batch-cpu=150,qshard.io/batch-memory=1024,nvidia.com/gpu=1\n");
        assertThat(BookingCodec.decode(text, why -> {
                    throw new AssertionError(why);
                }))
                .isEqualTo(in);
    }

    @Test
    void aLineThatDoesNotParseIsSkippedWithItsReason() {
        List<String> bad = new ArrayList<>();
        String text = "u-1 10 cpu=100,pods=1\nu-2 ten cpu=1\nu-3 10 cpu=-5\n\nu-4 10 cpu\nu-5 11\n";

        List<Booking> out = BookingCodec.decode(text, bad::add);

        assertThat(out).extracting(Booking::uid).containsExactly("u-1");
        assertThat(bad)
                .containsExactly(
                        "line 2 \"u-2 ten cpu=1\": epoch ms is not a whole number: \"ten\"",
                        "line 3 \"u-3 10 cpu=-5\": cpu must be ≥ 0, was -5",
                        "line 5 \"u-4 10 cpu\": resource \"cpu\" is not <name>=<amount>",
                        "line 6 \"u-5 11\": want \"<uid> <epoch ms> <resource>=<amount>,…\"");
        assertThat(BookingCodec.decode(null, bad::add)).isEmpty();
    }

    @Test
    void leaseNamesStayWithinTheApisLimit() {
        assertThat(ApiNodeBookings.leaseName("node-1")).isEqualTo("qshard-book-node-1");
        String longName = "n".repeat(253);
        String lease = ApiNodeBookings.leaseName(longName);
        assertThat(lease).hasSize(253).startsWith("qshard-book-nnn");
        assertThat(ApiNodeBookings.leaseName(longName.substring(1) + "m")).isNotEqualTo(lease);
    }
}
