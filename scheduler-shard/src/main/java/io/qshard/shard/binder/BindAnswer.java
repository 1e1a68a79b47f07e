package io.qshard.shard.binder;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the apiserver's answer to a binding means ({@code pods/binding}'s registry, {@code BindingREST.assignPod}). Its
 * refusals of a pending pod are 409 Conflict Status objects whose message says why:
 * <ul>
 *   <li>{@code pod <name> is already assigned to node "<node>"} — to the node asked for: {@code ALREADY_BOUND} (the
 *       placement stands); to another: {@code BOUND_ELSEWHERE};</li>
 *   <li>{@code Precondition failed: UID in precondition: …} (the binding's uid is not the pod's: it was re-created)
 *       and {@code pod <name> is being deleted, cannot be assigned to a host}: {@code POD_GONE};</li>
 *   <li>anything else — {@code pod <name> has non-empty .spec.schedulingGates} (1.26+), a 422, a 5xx — is
 *       {@code FAILED} with the status code and body.</li>
 * </ul>
 * 404 is {@code POD_GONE}. Stateless, thread-safe.
 */
final class BindAnswer {
    private static final Pattern ASSIGNED = Pattern.compile("is already assigned to node \"([^\"]*)\"");
    private static final String UID_PRECONDITION = "Precondition failed: UID in precondition";
    private static final String BEING_DELETED = "is being deleted, cannot be assigned to a host";
    private static final String GATED = "has non-empty .spec.schedulingGates";

    private BindAnswer() {}

    /** The outcome of a binding of a pod to {@code node}: the HTTP answer, or the error that stood for one. */
    static BindOutcome classify(HttpResponse<String> response, Throwable error, String node) {
        if (error != null) {
            return new BindOutcome(
                    BindOutcome.Kind.FAILED, error.getClass().getSimpleName() + ": " + error.getMessage());
        }
        return classify(response.code(), response.body() == null ? "" : response.body(), node);
    }

    /** The outcome of an answer with status {@code code} and {@code body} to a binding to {@code node}. */
    static BindOutcome classify(int code, String body, String node) {
        if (code == 201 || code == 200) {
            return BindOutcome.BOUND;
        }
        if (code == 404) {
            return new BindOutcome(BindOutcome.Kind.POD_GONE, message(body));
        }
        if (code == 409) {
            String message = message(body);
            Matcher assigned = ASSIGNED.matcher(message);
            if (assigned.find()) {
                return new BindOutcome(
                        assigned.group(1).equals(node)
                                ? BindOutcome.Kind.ALREADY_BOUND
                                : BindOutcome.Kind.BOUND_ELSEWHERE,
                        message);
            }
            if (message.contains(UID_PRECONDITION) || message.contains(BEING_DELETED)) {
                return new BindOutcome(BindOutcome.Kind.POD_GONE, message);
            }
            if (message.contains(GATED)) {
                return new BindOutcome(
                        BindOutcome.Kind.FAILED,
                        "HTTP 409: the pod has scheduling gates (is SchedulingGates in the tier's plugins?): " + body);
            }
        }
        return new BindOutcome(BindOutcome.Kind.FAILED, "HTTP " + code + ": " + body);
    }

    /** The Status object's message, or the whole body when it is not one. */
    private static String message(String body) {
        try {
            Status s = Json.SERIALIZATION.unmarshal(body, Status.class);
            if (s != null && s.getMessage() != null) {
                return s.getMessage();
            }
        } catch (RuntimeException e) {
            // not a Status object (a proxy's page, say): the body is all there is
        }
        return body;
    }

    /** Created on the first refusal, not with the binder: most binders never see one. */
    private static final class Json {
        static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    }
}
