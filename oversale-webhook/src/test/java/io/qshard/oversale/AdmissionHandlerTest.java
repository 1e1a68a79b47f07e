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

    /**
     * The review of a status write that left allocatable as stored: object and oldObject carry the same values, and
     * the object the given applied annotation (null: none).
     */
    private static ObjectNode stored(ObjectNode review, String cpu, String memory, String applied) {
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
        // and records what it applied, for the schedulers' real allocatable
        assertThat(patch(r).toString())
                .isEqualTo(
                        "[{\"op\":\"replace\",\"path\":\"/status/allocatable/cpu\",\"value\":\"23835m\"},"
                                + "{\"op\":\"replace\",\"path\":\"/status/allocatable/memory\",\"value\":\"78218870784\"},"
                                + "{\"op\":\"add\",\"path\":\"/metadata/annotations/qshard.io~1oversale-applied\",\"value\":\"cpu=1.5,memory=1.2\"}]");
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
        ObjectNode rev = stored(review(), "23835m", "78385616Ki", "cpu=1.5,memory=1.2");
        JsonNode r = answer(rev);
        assertThat(r.has("patch")).as("no compounding").isFalse();
        assertThat(r.path("allowed").booleanValue()).isTrue();
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
                                + "{\"op\":\"add\",\"path\":\"/metadata/annotations/qshard.io~1oversale-applied\",\"value\":\"cpu=1.5,memory=1.2\"}]");
        // the next write without allocatable sees the result and leaves it: no compounding
        assertThat(answer(stored(review(), "23835m", "78218870784", "cpu=1.5,memory=1.2"))
                        .has("patch"))
                .isFalse();
    }

    @Test
    void aChangedRatioOnAScaledNodeIsRescaledFromTheRealValue() throws Exception {
        ObjectNode down = stored(review(), "23835m", "78218870784", "cpu=1.5,memory=1.2");
        ((ObjectNode) object(down).path("metadata").path("annotations")).put(OversaleRatio.CPU_ANNOTATION, "1.1");
        // real 15890m × 1.1 = 17479m, not 23835m × 1.1
        assertThat(patch(answer(down)).toString())
                .isEqualTo("[{\"op\":\"replace\",\"path\":\"/status/allocatable/cpu\",\"value\":\"17479m\"},"
                        + "{\"op\":\"add\",\"path\":\"/metadata/annotations/qshard.io~1oversale-applied\","
                        + "\"value\":\"cpu=1.1,memory=1.2\"}]");
        ObjectNode up = stored(review(), "17479m", "78218870784", "cpu=1.1,memory=1.2");
        ((ObjectNode) object(up).path("metadata").path("annotations")).put(OversaleRatio.CPU_ANNOTATION, "2");
        assertThat(patch(answer(up)).get(0).path("value").stringValue()).isEqualTo("31780m"); // 15890 × 2
    }

    @Test
    void aRemovedRatioOnAScaledNodeGivesTheRealValueBack() throws Exception {
        ObjectNode rev = stored(review(), "23835m", "78218870784", "cpu=1.5,memory=1.2");
        ((ObjectNode) object(rev).path("metadata").path("annotations")).remove(OversaleRatio.CPU_ANNOTATION);
        JsonNode p = patch(answer(rev));
        assertThat(p.get(0).path("value").stringValue()).isEqualTo("15890m");
        assertThat(p.get(p.size() - 1).path("value").stringValue()).isEqualTo("cpu=1,memory=1.2");
    }

    @Test
    void aValueTheCapCutIsLeftAloneByTheNextWriteWithoutAllocatable() throws Exception {
        AdmissionHandler tight = new AdmissionHandler(1.5, 1.5, new WebhookMetrics());
        ObjectNode rev = stored(review(), "15890m", "63654680Ki", null);
        ((ObjectNode) object(rev).path("status").path("capacity")).put("cpu", "15");
        JsonNode first =
                patch(JSON.readTree(tight.handle(JSON.writeValueAsBytes(rev))).path("response"));
        assertThat(first.get(0).path("value").stringValue()).isEqualTo("22500m"); // 15 cores × 1.5
        String applied = first.get(first.size() - 1).path("value").stringValue();
        assertThat(applied).startsWith("cpu=1.41598"); // 22500 / 15890, the effective ratio
        ObjectNode again = stored(review(), "22500m", "76385616Ki", applied);
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
        assertThat(p.get(p.size() - 1).path("value").stringValue()).isEqualTo("cpu=1,memory=1.2");
        // nothing sent: the stored values and their annotation stay as they are
        ObjectNode quiet = review();
        ((ObjectNode) object(quiet).path("status").path("allocatable")).put("cpu", "23835m");
        ((ObjectNode) object(quiet).path("status").path("allocatable")).put("memory", "78385616Ki");
        ((ObjectNode) object(quiet).path("metadata").path("annotations"))
                .put(OversaleRatio.APPLIED_ANNOTATION, "cpu=1.5,memory=1.2");
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
