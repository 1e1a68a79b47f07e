package io.qshard.controllers.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.qshard.core.replicas.Bookkeeping;
import io.qshard.core.replicas.HostingAnnotations;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaWriterTest {
    @Test
    void theAnnotationPatchCarriesThePreconditionAndRemovesWithJsonNull() {
        Map<String, String> ann =
                HostingAnnotations.patch(new Bookkeeping(4, 8, 4, Instant.parse("2026-12-07T10:00:00Z"), null));
        String body = ReplicaWriter.body("42", ann);
        assertThat(body)
                .isEqualTo("{\"metadata\":{\"resourceVersion\":\"42\",\"annotations\":{"
                        + "\"qshard.io/replicas-changed-at\":\"2026-12-07T10:00:00Z\","
                        + "\"qshard.io/replicas-request\":\"4\","
                        + "\"qshard.io/replicas-request-changed-at\":null,"
                        + "\"qshard.io/replicas-set\":\"8\","
                        + "\"qshard.io/replicas-set-from\":\"4\"}}}");
        Map<?, ?> parsed = new KubernetesSerialization().unmarshal(body, Map.class);
        assertThat(parsed.containsKey("metadata")).isTrue();
    }

    @Test
    void valuesAreEscapedAndAnAbsentResourceVersionIsLeftOut() {
        Map<String, String> ann = new HashMap<>();
        ann.put("k", "a \"quoted\" \\ value\n");
        String body = ReplicaWriter.body(null, ann);
        assertThat(body).isEqualTo("{\"metadata\":{\"annotations\":{\"k\":\"a \\\"quoted\\\" \\\\ value\\u000a\"}}}");
        Map<?, ?> parsed = new KubernetesSerialization().unmarshal(body, Map.class);
        assertThat(((Map<?, ?>) ((Map<?, ?>) parsed.get("metadata")).get("annotations")).get("k"))
                .isEqualTo("a \"quoted\" \\ value\n");
    }
}
