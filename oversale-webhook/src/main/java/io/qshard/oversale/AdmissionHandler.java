package io.qshard.oversale;

import io.fabric8.kubernetes.api.model.Quantity;
import io.qshard.kube.api.OversaleRatio;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers one {@code AdmissionReview} (admission.k8s.io/v1) for a node CREATE or a {@code nodes/status} UPDATE: the
 * node's {@code status.allocatable} cpu and memory are scaled by the ratios in its annotations
 * ({@link OversaleRatio}) with a JSON patch, capped at capacity × the maximum ratio ({@link AllocatableScaling});
 * capacity is never touched. Every {@code nodes/status} write applies the current ratios, whether or not it carries
 * allocatable (a kubelet's patch leaves an unchanged one out): an allocatable the write left as stored is rescaled from
 * the real value behind it ({@link OversaleRatio#APPLIED_ANNOTATION}, trusted only while allocatable is the value
 * recorded with it in {@link OversaleRatio#SCALED_ANNOTATION}: any other was stored by a write this webhook did not
 * review and is real) when that gives another value, and left alone when not.
 * A ratio that is refused or removed leaves its resource at the real value and a refused one adds a warning to the
 * response (the apiserver shows it to the writer) — the review is always allowed: this webhook adjusts, it never
 * blocks a heartbeat. Thread-safe and allocation-light: called for every heartbeat of every opted-in node.
 */
public final class AdmissionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AdmissionHandler.class);
    private static final JsonMapper JSON = JsonMapper.shared();

    private final double maxCpu;
    private final double maxMemory;
    private final WebhookMetrics metrics;

    /**
     * @param maxCpu    the largest cpu ratio honoured, in [1, 3]
     * @param maxMemory the largest memory ratio honoured, in [1, 3]
     */
    public AdmissionHandler(double maxCpu, double maxMemory, WebhookMetrics metrics) {
        this.maxCpu = OversaleRatio.checkMax("--max-cpu-ratio", maxCpu);
        this.maxMemory = OversaleRatio.checkMax("--max-memory-ratio", maxMemory);
        this.metrics = metrics;
    }

    /** Thrown for a body that is not an AdmissionReview with a request (answered 400). */
    public static final class MalformedReview extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedReview(String message) {
            super(message);
        }
    }

    /**
     * @param body the request body
     * @return the AdmissionReview response body
     * @throws MalformedReview when the body is not a review with a request uid
     */
    public byte[] handle(byte[] body) throws MalformedReview {
        long t0 = System.nanoTime();
        JsonNode review;
        try {
            review = JSON.readTree(body);
        } catch (JacksonException e) {
            metrics.malformed.increment();
            throw new MalformedReview("not JSON: " + e.getOriginalMessage());
        }
        JsonNode request = review.path("request");
        String uid = request.path("uid").asString("");
        if (uid.isEmpty()) {
            metrics.malformed.increment();
            throw new MalformedReview("an AdmissionReview with request.uid is expected");
        }
        JsonNode node = request.path("object");
        JsonNode old = request.path("oldObject");
        String name = node.path("metadata").path("name").asString("?");
        JsonNode annotations = node.path("metadata").path("annotations");
        List<String> warnings = new ArrayList<>(0);
        ArrayNode patch = JSON.createArrayNode();
        String appliedBefore = text(annotations, OversaleRatio.APPLIED_ANNOTATION);
        String scaledBefore = text(annotations, OversaleRatio.SCALED_ANNOTATION);
        double[] applied = OversaleRatio.applied(appliedBefore);
        long[] recorded = OversaleRatio.scaled(scaledBefore);
        Outcome cpu = scale(
                name,
                "cpu",
                OversaleRatio.CPU_ANNOTATION,
                maxCpu,
                node,
                old,
                annotations,
                patch,
                warnings,
                applied[0],
                recorded[0]);
        Outcome memory = scale(
                name,
                "memory",
                OversaleRatio.MEMORY_ANNOTATION,
                maxMemory,
                node,
                old,
                annotations,
                patch,
                warnings,
                applied[1],
                recorded[1]);
        double[] appliedNow = {cpu.applied(), memory.applied()};
        long[] scaledNow = {cpu.value(), memory.value()};
        if (appliedBefore != null || scaledBefore != null || appliedNow[0] != 1 || appliedNow[1] != 1) {
            // the record follows what the allocatable carries after this write; rewritten only when it reads otherwise
            Map<String, String> record = new LinkedHashMap<>();
            if (appliedBefore == null || !Arrays.equals(applied, appliedNow)) {
                record.put(OversaleRatio.APPLIED_ANNOTATION, OversaleRatio.appliedText(appliedNow[0], appliedNow[1]));
            }
            String scaledText = OversaleRatio.scaledText(scaledNow[0], scaledNow[1]);
            if (!Arrays.equals(recorded, scaledNow) && (scaledBefore != null || !scaledText.isEmpty())) {
                record.put(OversaleRatio.SCALED_ANNOTATION, scaledText);
            }
            annotate(patch, annotations, record);
        }
        ObjectNode response = JSON.createObjectNode();
        response.put("uid", uid);
        response.put("allowed", true);
        if (!patch.isEmpty()) {
            response.put("patchType", "JSONPatch");
            response.put("patch", Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(patch)));
            metrics.patched.increment();
        }
        if (!warnings.isEmpty()) {
            ArrayNode w = response.putArray("warnings");
            warnings.forEach(w::add);
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("apiVersion", "admission.k8s.io/v1");
        out.put("kind", "AdmissionReview");
        out.set("response", response);
        byte[] bytes = JSON.writeValueAsBytes(out);
        metrics.reviews.increment();
        metrics.took(System.nanoTime() - t0);
        return bytes;
    }

    /** What one resource's allocatable carries after the review: the ratio over its real value and the value. */
    private record Outcome(double applied, long value) {}

    /**
     * Scales one resource. What the writer "sent" is read from the object the apiserver reviews, which is the whole
     * object after the writer's patch: a value that differs from the stored one ({@code oldObject}) was sent and is
     * the real one; one equal to the stored value was left out (a kubelet's status patch omits an unchanged
     * allocatable) or sent unchanged, and is the stored value — scaled by {@code appliedBefore} while it is the value
     * recorded with it ({@code recorded}; nothing recorded: trusted as before the record existed), and the real one
     * otherwise, stored by a write this webhook did not review. That one is rescaled from the real value behind it
     * when the wanted ratio gives another value — so a ratio set on a registered node takes effect at its next
     * {@code nodes/status} write of any kind, and so does a missed write — and left alone otherwise (no compounding).
     * A real value above capacity cannot be: the stored value is left alone until a writer sends the real one.
     *
     * @return the ratio the object's allocatable carries for this resource afterwards (1 when none applies) and its
     *     value (-1 when the object has none)
     */
    private Outcome scale(
            String node,
            String resource,
            String annotation,
            double max,
            JsonNode object,
            JsonNode old,
            JsonNode annotations,
            ArrayNode patch,
            List<String> warnings,
            double appliedBefore,
            long recorded) {
        boolean isCpu = "cpu".equals(resource);
        long sent = amount(object.path("status").path("allocatable").path(resource), isCpu);
        long before = amount(old.path("status").path("allocatable").path(resource), isCpu);
        boolean written = sent >= 0 && (before < 0 || sent != before);
        JsonNode a = annotations.path(annotation);
        Optional<OversaleRatio.Parsed> ratio = OversaleRatio.parse(a.isString() ? a.stringValue() : null, max);
        if (ratio.isPresent() && !ratio.get().valid()) {
            metrics.refusedRatios.increment();
            String w = "qshard oversale: node " + node + " annotation " + annotation + " ignored: "
                    + ratio.get().problem();
            warnings.add(w);
            LOG.warn("{}", w);
        }
        double wanted = ratio.isPresent() && ratio.get().valid() ? ratio.get().ratio() : 1.0;
        long capacity = amount(object.path("status").path("capacity").path(resource), isCpu);
        if (!written) {
            if (sent < 0) {
                return new Outcome(appliedBefore, -1); // no allocatable for this resource at all
            }
            double carried = OversaleRatio.appliedTo(sent, appliedBefore, recorded);
            long real = AllocatableScaling.realBehind(sent, appliedBefore, recorded, capacity);
            if (real < 0) {
                LOG.warn(
                        "qshard oversale: node {} {} allocatable {} read with its record is above capacity {}: left"
                                + " as stored until a writer sends the real value",
                        node,
                        resource,
                        sent,
                        capacity);
                return new Outcome(carried, sent);
            }
            long value = AllocatableScaling.target(real, capacity, wanted, max);
            if (value == sent || real == 0) {
                return new Outcome(carried, sent); // what the wanted ratio gives (no compounding), or no real value
            }
            replace(patch, resource, value, isCpu);
            return new Outcome((double) value / real, value);
        }
        long value = AllocatableScaling.scaled(sent, before, capacity, wanted, max);
        if (value < 0) {
            return new Outcome(1.0, sent); // the writer's real value stays as sent
        }
        replace(patch, resource, value, isCpu);
        return new Outcome((double) value / sent, value); // the effective ratio (the cap may have cut it)
    }

    /** Adds or replaces the given annotations (none: nothing). */
    private static void annotate(ArrayNode patch, JsonNode annotations, Map<String, String> values) {
        if (values.isEmpty()) {
            return;
        }
        if (!annotations.isObject()) {
            ObjectNode op = patch.addObject();
            op.put("op", "add");
            op.put("path", "/metadata/annotations");
            ObjectNode value = op.putObject("value");
            values.forEach(value::put);
            return;
        }
        values.forEach((key, value) -> {
            ObjectNode op = patch.addObject();
            op.put("op", "add"); // adds or replaces the member
            op.put("path", "/metadata/annotations/" + key.replace("~", "~0").replace("/", "~1"));
            op.put("value", value);
        });
    }

    private static String text(JsonNode annotations, String key) {
        JsonNode v = annotations.path(key);
        return v.isString() ? v.stringValue() : null;
    }

    private static void replace(ArrayNode patch, String resource, long value, boolean isCpu) {
        ObjectNode op = patch.addObject();
        op.put("op", "replace");
        op.put("path", "/status/allocatable/" + resource);
        op.put("value", isCpu ? value + "m" : Long.toString(value));
    }

    /** A quantity as milli-cores (cpu) or bytes (memory); -1 when absent or unreadable. */
    private static long amount(JsonNode q, boolean milli) {
        if (!q.isString()) {
            return -1;
        }
        try {
            BigDecimal v = Quantity.getAmountInBytes(new Quantity(q.stringValue()));
            return (milli ? v.multiply(BigDecimal.valueOf(1000)) : v)
                    .setScale(0, RoundingMode.CEILING)
                    .longValueExact();
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
