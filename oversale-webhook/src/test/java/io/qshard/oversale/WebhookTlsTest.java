package io.qshard.oversale;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qshard.localcluster.Pki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookTlsTest {
    @Test
    void aGoodPairLoadsAndABadOneFailsNamingTheFile(@TempDir Path dir) throws Exception {
        Path[] files =
                Pki.newCa("ca").issueServing("webhook", List.of("127.0.0.1")).write(dir, "w");
        new WebhookTls(files[1], files[0]).validate();
        assertThatThrownBy(() -> new WebhookTls(dir.resolve("absent.crt"), files[0]))
                .hasMessageContaining("--tls-cert")
                .hasMessageContaining("absent.crt");
        Path garbage = Files.writeString(dir.resolve("garbage.key"), "not a key");
        assertThatThrownBy(() -> new WebhookTls(files[1], garbage))
                .hasMessageContaining("--tls-key")
                .hasMessageContaining("garbage.key");
        assertThatThrownBy(() -> new WebhookTls(files[0], files[0]))
                .as("a key where the certificate belongs")
                .hasMessageContaining("--tls-cert");
    }
}
