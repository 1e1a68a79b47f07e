package io.qshard.oversale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qshard.kube.api.OversaleRatio;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Reviews as the apiserver sends them for a kubelet's status update (a real-sized node, 18 KB). */
class AdmissionHandlerTest {
    private static final JsonMapper JSON = JsonMapper.shared();
    private final WebhookMetrics metrics = new WebhookMetrics();
    private final AdmissionHandler handler = new AdmissionHandler(2.0, 2.0, metrics);

    private static ObjectNode review() throws Exception {
        return (ObjectNode) JSON.readTree(Files.readAllBytes(Path.of("src/test/resources/node-status-review.json")));
    }

    private static ObjectNode object(ObjectNode review) {
        return (ObjectNode) review.path("request").path("object");
    }

    private JsonNode answer(ObjectNode review) throws Exception {
        return JSON.readTree(handler.handle(JSON.writeValueAsBytes(review))).path("response");
    }

    private static JsonNode patch(JsonNode response) {
        return JSON.readTree(Base64.getDecoder().decode(response.path("patch").stringValue()));
    }

    /** The value of the patch's operation on the given path (annotations by their key), or null when it has none. */
    private static String value(JsonNode patch, String path) {
        String escaped = path.startsWith("/") ? path : "/metadata/annotations/" + path.replace("/", "~1");
        for (JsonNode op : patch) {
            if (op.path("path").stringValue().equals(escaped)) {
                return op.path("value").stringValue();
            }
        }
        return null;
    }

    /** The scaled record of cpu milli-cores and memory bytes, as the webhook writes it. */
    private static String scaled(long cpuMilli, long memoryBytes) {
        return OversaleRatio.scaledText(cpuMilli, memoryBytes);
    }

    /**
     * The review of a status write that left allocatable as stored: object and oldObject carry the same values, and
     * the applied annotation given (null: none), without a scaled record (as a webhook before it wrote them).
     */
    private static ObjectNode stored(ObjectNode review, String cpu, String memory, String applied) {
        return stored(review, cpu, memory, applied, null);
    }

    /** As {@link #stored(ObjectNode, String, String, String)}, with the scaled record given (null: none). */
    private static ObjectNode stored(ObjectNode review, String cpu, String memory, String applied, String scaled) {
        for (String which : new String[] {"object", "oldObject"}) {
            ObjectNode allocatable = (ObjectNode)
                    review.path("request").path(which).path("status").path("allocatable");
            allocatable.put("cpu", cpu);
            allocatable.put("memory", memory);
            ObjectNode ann = (ObjectNode)
                    review.path("request").path(which).path("metadata").path("annotations");
            if (applied == null) {
                ann.remove(OversaleRatio.APPLIED_ANNOTATION);
            } else {
                ann.put(OversaleRatio.APPLIED_ANNOTATION, applied);
            }
            if (scaled == null) {
                ann.remove(OversaleRatio.SCALED_ANNOTATION);
            } else {
                ann.put(OversaleRatio.SCALED_ANNOTATION, scaled);
            }
        }
        return review;
    }

    @Test
    void aHeartbeatOfAnOptedInNodeComesBackWithScaledAllocatable() throws Exception {
        JsonNode r = answer(review());
        assertThat(r.path("uid").stringValue()).isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800002");
        assertThat(r.path("allowed").booleanValue()).isTrue();
        assertThat(r.path("patchType").stringValue()).isEqualTo("JSONPatch");
        // cpu 15890m × 1.5 = 23835m; memory 63654680Ki × 1.2 = 65182392320 × 1.2 = 78218870784 B
        // and records what it applied and the values it left, for the schedulers' real allocatable
        assertThat(patch(r).toString())
                .isEqualTo(
                        "[{\"op\":\"replace\",\"path\":\"/status/allocatable/cpu\",\"value\":\"23835m\"},"
                                + "{\"op\":\"replace\",\"path\":\"/status/allocatable/memory\",\"value\":\"78218870784\"},"
                                + "{\"op\":\"add\",\"path\":\"/metadata/annotations/qshard.io~1oversale-applied\",\"value\":\"cpu=1.5,memory=1.2\"},"
                                + "{\"op\":\"add\",\"path\":\"/metadata/annotations/qshard.io~1oversale-scaled\",\"value\":\"cpu=23835m,memory=78218870784\"}]");
        assertThat(metrics.patched.sum()).isEqualTo(1);
    }

    @Test
    void capacityIsNeverTouchedAndTheCapHolds() throws Exception {
        ObjectNode rev = review();
        ((ObjectNode) object(rev).path("metadata").path("annotations")).put(OversaleRatio.CPU_ANNOTATION, "2");
        JsonNode p = patch(answer(rev));
        // 15890 × 2 = 31780m, capped at capacity 16 × max 2.0 = 32000m: not reached
        assertThat(p.get(0).path("value").stringValue()).isEqualTo("31780m");
        assertThat(p.toString()).doesNotContain("capacity");
        AdmissionHandler tight = new AdmissionHandler(1.5, 1.5, new WebhookMetrics());
        ((ObjectNode) object(rev).path("metadata").path("annotations")).put(OversaleRatio.CPU_ANNOTATION, "1.5");
        ((ObjectNode) object(rev).path("status").path("capacity")).put("cpu", "15");
        JsonNode capped =
                patch(JSON.readTree(tight.handle(JSON.writeValueAsBytes(rev))).path("response"));
        // 15890 × 1.5 = 23835m, capped at 15 cores × 1.5 = 22500m
        assertThat(capped.get(0).path("value").stringValue()).isEqualTo("22500m");
    }

    @Test
    void anUpdateThatDoesNotSendAllocatableLeavesAScaledValueAlone() throws Exception {
        // e.g. a condition-only patch: the stored allocatable, scaled by the ratios in force, comes back unchanged
        ObjectNode rev = stored(review(), "23835m", "78218870784", "cpu=1.5,memory=1.2", scaled(23835, 78218870784L));
        JsonNode r = answer(rev);
        assertThat(r.has("patch")).as("no compounding").isFalse();
        assertThat(r.path("allowed").booleanValue()).isTrue();
        // a record from before the scaled values were kept: the applied ratio is trusted and the values recorded
        JsonNode legacy = patch(answer(stored(review(), "23835m", "78385616Ki", "cpu=1.5,memory=1.2")));
        assertThat(legacy.toString()).doesNotContain("allocatable").doesNotContain("oversale-applied");
        assertThat(value(legacy, OversaleRatio.SCALED_ANNOTATION)).isEqualTo(scaled(23835, 80266870784L));
    }

    @Test
    void aWriteTheWebhookMissedIsScaledAtTheNextWriteWithoutAllocatable() throws Exception {
        // review bug 1: a kubelet heartbeat the webhook missed (failurePolicy Ignore) stored the real 15900m while the
        // record still says 1.5; the kubelet's next patch leaves its (unchanged) allocatable out. Trusting the ratio,
        // 15900 ÷ 1.5 × 1.5 = 15900: nothing patched, and the node stayed at its real value for good
        ObjectNode rev = stored(review(), "15900m", "78218870784", "cpu=1.5,memory=1.2", scaled(23850, 78218870784L));
        JsonNode p = patch(answer(rev));
        assertThat(p.toString())
                .as("scaled from the real value; memory, the recorded value, left alone; the record reads the same")
                .isEqualTo("[{\"op\":\"replace\",\"path\":\"/status/allocatable/cpu\",\"value\":\"23850m\"}]");
        // where the round trip does not land on the real value, it was healed one milli-core low (15890 → 15889)
        ObjectNode off = stored(review(), "15890m", "78218870784", "cpu=1.5,memory=1.2", scaled(23835, 78218870784L));
        assertThat(value(patch(answer(off)), "/status/allocatable/cpu")).isEqualTo("23835m");
    }

    @Test
    void aRemovedOrEditedRecordNeverCompoundsAScaledValue() throws Exception {
        // review risk 4: 23835m taken for real would become min(23835 × 1.5, 16 × 2) = 32000m; no real allocatable is
        // above capacity, so it stays as stored until the kubelet sends its real value
        for (String[] record : new String[][] {
            {null, null}, // both removed
            {null, scaled(23835, 78218870784L)}, // the applied one removed
            {"cpu=1.2,memory=1.2", scaled(23835, 78218870784L)}, // edited: 23835 ÷ 1.2 = 19863 > 16000
            {"cpu=abc,memory=1.2", scaled(23835, 78218870784L)}, // edited to nonsense: reads as 1
        }) {
            JsonNode r = answer(stored(review(), "23835m", "78218870784", record[0], record[1]));
            String ops = r.has("patch") ? patch(r).toString() : "[]";
            assertThat(ops).as("%s / %s", record[0], record[1]).doesNotContain("/status/allocatable/cpu");
            assertThat(r.path("allowed").booleanValue()).isTrue();
        }
    }

    @Test
    void aRatioSetOnARegisteredNodeTakesEffectAtAStatusWriteWithoutAllocatable() throws Exception {
        // R17: the node registered unscaled (stored = real); the ratios were annotated since; the kubelet's patch
        // leaves its unchanged allocatable out, so the reviewed object carries the stored (real) value
        ObjectNode rev = stored(review(), "15890m", "63654680Ki", null);
        assertThat(patch(answer(rev)).toString())
                .isEqualTo(
                        "[{\"op\":\"replace\",\"path\":\"/status/allocatable/cpu\",\"value\":\"23835m\"},"
                                + "{\"op\":\"replace\",\"path\":\"/status/allocatable/memory\",\"value\":\"78218870784\"},"
                                + "{\"op\":\"add\",\"path\":\"/metadata/annotations/qshard.io~1oversale-applied\",\"value\":\"cpu=1.5,memory=1.2\"},"
                                + "{\"op\":\"add\",\"path\":\"/metadata/annotations/qshard.io~1oversale-scaled\",\"value\":\"cpu=23835m,memory=78218870784\"}]");
        // the next write without allocatable sees the result and leaves it: no compounding
        assertThat(answer(stored(review(), "23835m", "78218870784", "cpu=1.5,memory=1.2", scaled(23835, 78218870784L)))
                        .has("patch"))
                .isFalse();
    }

    @Test
    void aChangedRatioOnAScaledNodeIsRescaledFromTheRealValue() throws Exception {
        ObjectNode down = stored(review(), "23835m", "78218870784", "cpu=1.5,memory=1.2", scaled(23835, 78218870784L));
        ((ObjectNode) object(down).path("metadata").path("annotations")).put(OversaleRatio.CPU_ANNOTATION, "1.1");
        // real 15890m × 1.1 = 17479m, not 23835m × 1.1
        assertThat(patch(answer(down)).toString())
                .isEqualTo("[{\"op\":\"replace\",\"path\":\"/status/allocatable/cpu\",\"value\":\"17479m\"},"
                        + "{\"op\":\"add\",\"path\":\"/metadata/annotations/qshard.io~1oversale-applied\","
                        + "\"value\":\"cpu=1.1,memory=1.2\"},"
                        + "{\"op\":\"add\",\"path\":\"/metadata/annotations/qshard.io~1oversale-scaled\","
                        + "\"value\":\"cpu=17479m,memory=78218870784\"}]");
        ObjectNode up = stored(review(), "17479m", "78218870784", "cpu=1.1,memory=1.2", scaled(17479, 78218870784L));
        ((ObjectNode) object(up).path("metadata").path("annotations")).put(OversaleRatio.CPU_ANNOTATION, "2");
        assertThat(patch(answer(up)).get(0).path("value").stringValue()).isEqualTo("31780m"); // 15890 × 2
    }

    @Test
    void aRemovedRatioOnAScaledNodeGivesTheRealValueBack() throws Exception {
        ObjectNode rev = stored(review(), "23835m", "78218870784", "cpu=1.5,memory=1.2", scaled(23835, 78218870784L));
        ((ObjectNode) object(rev).path("metadata").path("annotations")).remove(OversaleRatio.CPU_ANNOTATION);
        JsonNode p = patch(answer(rev));
        assertThat(p.get(0).path("value").stringValue()).isEqualTo("15890m");
        assertThat(value(p, OversaleRatio.APPLIED_ANNOTATION)).isEqualTo("cpu=1,memory=1.2");
        assertThat(value(p, OversaleRatio.SCALED_ANNOTATION)).isEqualTo(scaled(15890, 78218870784L));
    }

    @Test
    void aValueTheCapCutIsLeftAloneByTheNextWriteWithoutAllocatable() throws Exception {
        // the cap cuts only where capacity × max < real × ratio ≤ real × max: a real value above capacity, which a
        // kubelet never reports (this one sends it)
        AdmissionHandler tight = new AdmissionHandler(1.5, 1.5, new WebhookMetrics());
        ObjectNode rev = review();
        ((ObjectNode) object(rev).path("status").path("capacity")).put("cpu", "15");
        JsonNode first =
                patch(JSON.readTree(tight.handle(JSON.writeValueAsBytes(rev))).path("response"));
        assertThat(first.get(0).path("value").stringValue()).isEqualTo("22500m"); // 15 cores × 1.5
        String applied = value(first, OversaleRatio.APPLIED_ANNOTATION);
        assertThat(applied).startsWith("cpu=1.41598"); // 22500 / 15890, the effective ratio
        ObjectNode again =
                stored(review(), "22500m", "76385616Ki", applied, value(first, OversaleRatio.SCALED_ANNOTATION));
        ((ObjectNode) object(again).path("status").path("capacity")).put("cpu", "15");
        assertThat(JSON.readTree(tight.handle(JSON.writeValueAsBytes(again)))
                        .path("response")
                        .has("patch"))
                .isFalse();
    }

    @Test
    void aNodeWithoutRatiosIsNotPatched() throws Exception {
        ObjectNode rev = review();
        ((ObjectNode) object(rev).path("metadata")).remove("annotations");
        assertThat(answer(rev).has("patch")).isFalse();
    }

    @Test
    void badRatiosAreIgnoredWithAWarningAndNeverCrash() throws Exception {
        for (String bad : new String[] {"0", "-2", "NaN", "abc", "9", "Infinity"}) {
            ObjectNode rev = review();
            ObjectNode ann = (ObjectNode) object(rev).path("metadata").path("annotations");
            ann.put(OversaleRatio.CPU_ANNOTATION, bad);
            ann.remove(OversaleRatio.MEMORY_ANNOTATION);
            JsonNode r = answer(rev);
            assertThat(r.path("allowed").booleanValue()).as(bad).isTrue();
            assertThat(r.has("patch")).as(bad).isFalse();
            assertThat(r.path("warnings").get(0).stringValue())
                    .as(bad)
                    .contains("qshard.io/cpu-oversale-ratio ignored");
        }
        assertThat(metrics.refusedRatios.sum()).isEqualTo(6);
        // a non-string annotation value (not valid in the API, but never trusted) is treated as absent
        ObjectNode rev = review();
        ((ObjectNode) object(rev).path("metadata").path("annotations")).put(OversaleRatio.CPU_ANNOTATION, 7);
        assertThat(answer(rev).path("allowed").booleanValue()).isTrue();
    }

    @Test
    void theAppliedAnnotationFollowsWhatTheAllocatableCarries() throws Exception {
        ObjectNode rev = review();
        ObjectNode ann = (ObjectNode) object(rev).path("metadata").path("annotations");
        ann.put(OversaleRatio.APPLIED_ANNOTATION, "cpu=1.5,memory=1.2");
        ann.put(OversaleRatio.CPU_ANNOTATION, "abc"); // the cpu ratio became invalid: the kubelet's real value stays
        JsonNode p = patch(answer(rev));
        assertThat(p.toString()).doesNotContain("allocatable/cpu");
        assertThat(value(p, OversaleRatio.APPLIED_ANNOTATION)).isEqualTo("cpu=1,memory=1.2");
        assertThat(value(p, OversaleRatio.SCALED_ANNOTATION)).isEqualTo(scaled(15890, 78218870784L));
        // nothing sent: the stored values and their annotation stay as they are
        ObjectNode quiet = review();
        ((ObjectNode) object(quiet).path("status").path("allocatable")).put("cpu", "23835m");
        ((ObjectNode) object(quiet).path("status").path("allocatable")).put("memory", "78385616Ki");
        ((ObjectNode) object(quiet).path("metadata").path("annotations"))
                .put(OversaleRatio.APPLIED_ANNOTATION, "cpu=1.5,memory=1.2")
                .put(OversaleRatio.SCALED_ANNOTATION, "cpu=23835m,memory=" + (78385616L << 10));
        assertThat(answer(quiet).has("patch")).isFalse();
        // nor is one that records the same in another form (review nit 14)
        ((ObjectNode) object(quiet).path("metadata").path("annotations"))
                .put(OversaleRatio.APPLIED_ANNOTATION, "memory=1.20, cpu=1.5");
        assertThat(answer(quiet).has("patch")).isFalse();
    }

    @Test
    void createIsScaledToo() throws Exception {
        ObjectNode rev = review();
        ((ObjectNode) rev.path("request")).put("operation", "CREATE");
        ((ObjectNode) rev.path("request")).remove("oldObject");
        assertThat(patch(answer(rev)).get(0).path("value").stringValue()).isEqualTo("23835m");
    }

    @Test
    void somethingThatIsNotAReviewIsRefusedWith400() {
        assertThatThrownBy(() -> handler.handle("{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AdmissionHandler.MalformedReview.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> handler.handle("{\"kind\":\"AdmissionReview\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AdmissionHandler.MalformedReview.class)
                .hasMessageContaining("request.uid");
        assertThat(metrics.malformed.sum()).isEqualTo(2);
    }
}
