package io.qshard.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeBinariesTest {

    @Test
    void missingBinariesNameTheInstallScript(@TempDir Path emptyCache) {
        assertThatThrownBy(() -> KubeBinaries.locate(emptyCache.toString(), Map.of("PATH", "/usr/bin:/bin")))
                .isInstanceOf(ControlPlaneException.class)
                .hasMessageContaining(KubeBinaries.INSTALL_SCRIPT)
                .hasMessageNotContaining("\n");
    }

    @Test
    void cacheDirPrefersPropertyThenEnvironment() {
        assertThat(KubeBinaries.cacheDir("/a", Map.of("QSHARD_CACHE", "/b"))).isEqualTo(Path.of("/a"));
        assertThat(KubeBinaries.cacheDir(null, Map.of("QSHARD_CACHE", "/b"))).isEqualTo(Path.of("/b"));
        assertThat(KubeBinaries.cacheDir("", Map.of()))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "qshard"));
    }
}
