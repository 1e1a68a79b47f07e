package io.qshard.kube.convert;

import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.NodeAffinity;
import io.qshard.core.model.NodeSelectorRequirement;
import io.qshard.core.model.NodeSelectorTerm;
import io.qshard.core.model.PodAffinity;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Taint;
import io.qshard.core.model.Tier;
import io.qshard.core.model.Toleration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decoded pod ({@link RawPod}) → core {@link PodRequest}. Requests are the pod's effective requests as the
 * kubelet computes them (decoded by {@link PodJsonReader}), with the pod's {@link io.qshard.core.model.PodDetails}. The
 * tier comes from {@code spec.schedulerName}; pods of other schedulers are accounted as prod. {@code matchFields} on
 * {@code metadata.name} become field requirements matched against the node's name (any other key is refused, as the
 * API refuses it). Labels, pod (anti-)affinity and spread constraints are carried as decoded
 * ({@link PodRequest#withTopology}); a pod with a deletion timestamp is {@link PodRequest#terminating()}. A value of
 * those topology fields the API would reject ({@link RawPod#invalid()}) refuses a pending pod (it must not be
 * scheduled ignoring its rules; kube-scheduler 1.20 fails it with "parsing pod"), but only costs a bound pod those
 * fields: it is kept, with its labels, without pod (anti-)affinity and spread constraints, so that its resources and
 * its place in the topology stay counted (1.20 keeps it in its cache too), and the problem goes to a warning sink.
 * Thread-safe (the namespace interner is concurrent).
 */
public final class PodConverter {
    private static final Logger LOG = LoggerFactory.getLogger(PodConverter.class);
    /** The warning sink of {@link #convert(RawPod)}: the log. */
    private static final Consumer<String> LOG_WARNING = w -> LOG.warn("{}", w);

    private final QshardConfig config;
    private final Map<String, String> interned = new ConcurrentHashMap<>();

    public PodConverter(QshardConfig config) {
        this.config = config;
    }

    /**
     * A pod read with fabric8 (a GET or a LIST) through the same decoder the pod reflector uses — effective requests
     * included (init containers, overhead) — for tools, not the hot path.
     *
     * @throws ConversionException naming the pod and what is wrong with it
     */
    public PodRequest convert(
            io.fabric8.kubernetes.api.model.Pod pod, io.fabric8.kubernetes.client.utils.KubernetesSerialization json) {
        try (tools.jackson.core.JsonParser p = PodJsonReader.MAPPER.createParser(json.asJson(pod))) {
            p.nextToken();
            return convert(PodJsonReader.read(p));
        } catch (RuntimeException e) {
            throw e instanceof ConversionException c
                    ? c
                    : new ConversionException(
                            "pod " + pod.getMetadata().getNamespace() + "/"
                                    + pod.getMetadata().getName() + ": " + e.getMessage(),
                            e);
        }
    }

    /**
     * {@link #convert(RawPod, Consumer)} with its warnings logged.
     *
     * @throws ConversionException naming the pod and what is wrong with it
     */
    public PodRequest convert(RawPod pod) {
        return convert(pod, LOG_WARNING);
    }

    /**
     * @param warnings told (on the calling thread, at most once per call) when a bound pod is converted without its
     *     invalid topology fields: {@code pod <ns>/<name>: <field>: <what>; …}
     * @throws ConversionException naming the pod and what is wrong with it (a pending pod with an invalid topology
     *     field included)
     */
    public PodRequest convert(RawPod pod, Consumer<String> warnings) {
        PodRequest converted;
        try {
            boolean withoutTopology = pod.invalid() != null;
            if (withoutTopology && pod.nodeName() == null) {
                throw new IllegalArgumentException(pod.invalid());
            }
            Tier tier = config.tierForSchedulerName(pod.schedulerName()).orElse(null);
            String created = pod.creationTimestamp();
            converted = new PodRequest(
                    pod.uid(),
                    intern(pod.namespace()),
                    pod.name(),
                    tier == null ? null : tier.name(),
                    tier == null ? PoolRule.ALLOCATABLE : tier.poolRule(),
                    pod.requests(),
                    pod.nodeSelector(),
                    affinity(pod.nodeAffinity()),
                    tolerations(pod.tolerations()),
                    pod.priority() != null ? pod.priority() : tier != null ? tier.priority() : 0,
                    created == null ? Instant.EPOCH : ApiTimes.parse(created),
                    pod.owner(),
                    pod.nodeName(),
                    pod.labels(),
                    withoutTopology ? PodAffinity.NONE : pod.podAffinity(),
                    withoutTopology ? List.of() : pod.spread(),
                    pod.deleting(),
                    pod.details(),
                    pod.startTime() == null
                            ? PodRequest.NOT_STARTED
                            : ApiTimes.parse(pod.startTime()).toEpochMilli());
        } catch (RuntimeException e) {
            throw new ConversionException("pod " + pod.key() + ": " + e.getMessage(), e);
        }
        if (pod.invalid() != null) { // told only once the pod converts: a refused one is the exception alone
            warnings.accept("pod " + pod.key() + ": " + pod.invalid() + "; bound to " + pod.nodeName()
                    + ", so kept without its pod (anti-)affinity and topology spread constraints");
        }
        return converted;
    }

    private static NodeAffinity affinity(io.fabric8.kubernetes.api.model.NodeAffinity na) {
        if (na == null) {
            return NodeAffinity.NONE;
        }
        List<NodeSelectorTerm> required = new ArrayList<>();
        NodeSelector sel = na.getRequiredDuringSchedulingIgnoredDuringExecution();
        if (sel != null && sel.getNodeSelectorTerms() != null) {
            sel.getNodeSelectorTerms().forEach(t -> required.add(term(t)));
        }
        List<NodeAffinity.WeightedTerm> preferred = new ArrayList<>();
        if (na.getPreferredDuringSchedulingIgnoredDuringExecution() != null) {
            for (PreferredSchedulingTerm p : na.getPreferredDuringSchedulingIgnoredDuringExecution()) {
                preferred.add(new NodeAffinity.WeightedTerm(
                        p.getWeight() == null ? 1 : p.getWeight(), term(p.getPreference())));
            }
        }
        return new NodeAffinity(required, preferred);
    }

    private static NodeSelectorTerm term(io.fabric8.kubernetes.api.model.NodeSelectorTerm t) {
        List<NodeSelectorRequirement> reqs = new ArrayList<>();
        if (t.getMatchExpressions() != null) {
            t.getMatchExpressions().forEach(r -> reqs.add(requirement(r.getKey(), r.getOperator(), r.getValues())));
        }
        List<NodeSelectorRequirement> fields = new ArrayList<>();
        if (t.getMatchFields() != null) {
            for (var f : t.getMatchFields()) {
                if (!NodeSelectorTerm.NODE_NAME_FIELD.equals(f.getKey())) {
                    throw new IllegalArgumentException("matchFields: unsupported key '" + f.getKey() + "' (only "
                            + NodeSelectorTerm.NODE_NAME_FIELD + ")");
                }
                fields.add(requirement(f.getKey(), f.getOperator(), f.getValues()));
            }
        }
        return new NodeSelectorTerm(reqs, fields);
    }

    private static NodeSelectorRequirement requirement(String key, String op, List<String> values) {
        NodeSelectorRequirement.Operator o = switch (op) {
            case "In" -> NodeSelectorRequirement.Operator.IN;
            case "NotIn" -> NodeSelectorRequirement.Operator.NOT_IN;
            case "Exists" -> NodeSelectorRequirement.Operator.EXISTS;
            case "DoesNotExist" -> NodeSelectorRequirement.Operator.DOES_NOT_EXIST;
            case "Gt" -> NodeSelectorRequirement.Operator.GT;
            case "Lt" -> NodeSelectorRequirement.Operator.LT;
            default -> throw new IllegalArgumentException("unknown node selector operator '" + op + "'");
        };
        return new NodeSelectorRequirement(key, o, values == null ? List.of() : values);
    }

    private static List<Toleration> tolerations(List<io.fabric8.kubernetes.api.model.Toleration> in) {
        if (in == null || in.isEmpty()) {
            return List.of();
        }
        List<Toleration> out = new ArrayList<>();
        for (var t : in) {
            Taint.Effect effect =
                    t.getEffect() == null || t.getEffect().isEmpty() ? null : Taint.Effect.fromApi(t.getEffect());
            out.add(new Toleration(
                    t.getKey(),
                    "Exists".equals(t.getOperator()) ? Toleration.Operator.EXISTS : Toleration.Operator.EQUAL,
                    t.getValue(),
                    effect));
        }
        return out;
    }

    private String intern(String s) {
        String prior = interned.putIfAbsent(s, s);
        return prior == null ? s : prior;
    }
}
