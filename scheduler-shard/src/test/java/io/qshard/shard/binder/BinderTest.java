package io.qshard.shard.binder;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BinderTest {
    @Test
    void theBindingBodyIsAValidBindingWithTheUidPrecondition() {
        String json = new String(Binder.body("ns", "web-1", "u-1", "node-7"), StandardCharsets.UTF_8);
        io.fabric8.kubernetes.api.model.Binding b =
                new KubernetesSerialization().unmarshal(json, io.fabric8.kubernetes.api.model.Binding.class);
        assertThat(b.getMetadata().getName()).isEqualTo("web-1");
        assertThat(b.getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(b.getMetadata().getUid()).isEqualTo("u-1");
        assertThat(b.getTarget().getKind()).isEqualTo("Node");
        assertThat(b.getTarget().getName()).isEqualTo("node-7");
    }

    @Test
    void outcomesAreClassifiedByStatus() {
        assertThat(Binder.classify(null, new java.io.IOException("reset")).kind())
                .isEqualTo(BindOutcome.Kind.FAILED);
        assertThat(Binder.classify(response(201), null)).isEqualTo(BindOutcome.BOUND);
        assertThat(Binder.classify(response(409), null).kind()).isEqualTo(BindOutcome.Kind.ALREADY_BOUND);
        assertThat(Binder.classify(response(404), null).kind()).isEqualTo(BindOutcome.Kind.POD_GONE);
        assertThat(Binder.classify(response(500), null).kind()).isEqualTo(BindOutcome.Kind.FAILED);
        assertThat(Binder.classify(response(429), null).message()).startsWith("HTTP 429");
    }

    private static io.fabric8.kubernetes.client.http.HttpResponse<String> response(int code) {
        return new io.fabric8.kubernetes.client.http.HttpResponse<>() {
            @Override
            public int code() {
                return code;
            }

            @Override
            public String body() {
                return "{}";
            }

            @Override
            public java.util.List<String> headers(String key) {
                return java.util.List.of();
            }

            @Override
            public java.util.Map<String, java.util.List<String>> headers() {
                return java.util.Map.of();
            }

            @Override
            public io.fabric8.kubernetes.client.http.HttpRequest request() {
                return null;
            }

            @Override
            public java.util.Optional<io.fabric8.kubernetes.client.http.HttpResponse<?>> previousResponse() {
                return java.util.Optional.empty();
            }
        };
    }
}
