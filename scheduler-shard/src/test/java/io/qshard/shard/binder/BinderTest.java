package io.qshard.shard.binder;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BinderTest {
    /** kube-apiserver 1.20.2's answer to a binding of pod p, bound to node-b, to another node (recorded). */
    static final String ASSIGNED_TO_NODE_B = """
            {
              "kind": "Status",
              "apiVersion": "v1",
              "metadata": {

              },
              "status": "Failure",
              "message": "Operation cannot be fulfilled on pods/binding \\"p\\": pod p is already assigned to node \\"node-b\\"",
              "reason": "Conflict",
              "details": {
                "name": "p",
                "kind": "pods/binding"
              },
              "code": 409
            }""";
    /** kube-apiserver 1.20.2's answer for a pod with a deletionTimestamp (recorded). */
    static final String BEING_DELETED = """
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be \
            fulfilled on pods/binding \\"d\\": pod d is being deleted, cannot be assigned to a host","reason":\
            "Conflict","details":{"name":"d","kind":"pods/binding"},"code":409}""";
    /** kube-apiserver 1.20.2's answer for a pod that does not exist (recorded). */
    static final String NOT_FOUND = """
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \\"nosuch\\" not \
            found","reason":"NotFound","details":{"name":"nosuch","kind":"pods"},"code":404}""";
    /**
     * A 1.26+ apiserver's answer for a pod with scheduling gates: {@code BindingREST.setPodHostAndAnnotations}
     * refuses with {@code "pod %v has non-empty .spec.schedulingGates"}, which {@code assignPod} wraps in
     * {@code NewConflict(pods/binding)} — a 409 (1.20 has no such field to refuse on).
     */
    static final String GATED = """
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be \
            fulfilled on pods/binding \\"g\\": pod g has non-empty .spec.schedulingGates","reason":"Conflict",\
            "details":{"name":"g","kind":"pods/binding"},"code":409}""";
    /**
     * A newer apiserver's answer for a binding whose uid is not the pod's (re-created under the same name): the
     * storage's uid precondition fails ({@code StorageError: invalid object}) and {@code InterpretUpdateError} makes it
     * a Conflict on {@code pods}. kube-apiserver 1.20.2 ignores the Binding's uid (BindConflictIT).
     */
    static final String UID_MISMATCH = """
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be \
            fulfilled on pods \\"p\\": StorageError: invalid object, Code: 4, Key: /registry/pods/default/p, \
            ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: \
            6e3d3b3c-0000-4000-8000-000000000001, UID in object meta: 6e3d3b3c-0000-4000-8000-000000000002",\
            "reason":"Conflict","details":{"name":"p","kind":"pods"},"code":409}""";

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
        assertThat(BindAnswer.classify(null, new java.io.IOException("reset"), "n")
                        .kind())
                .isEqualTo(BindOutcome.Kind.FAILED);
        assertThat(BindAnswer.classify(response(201, "{}"), null, "n")).isEqualTo(BindOutcome.BOUND);
        assertThat(BindAnswer.classify(response(404, NOT_FOUND), null, "n"))
                .isEqualTo(new BindOutcome(BindOutcome.Kind.POD_GONE, "pods \"nosuch\" not found"));
        assertThat(BindAnswer.classify(response(500, "{}"), null, "n").kind()).isEqualTo(BindOutcome.Kind.FAILED);
        assertThat(BindAnswer.classify(response(429, "slow down"), null, "n").message())
                .isEqualTo("HTTP 429: slow down");
    }

    @Test
    void alreadyAssignedToTheNodeAskedForStands() {
        assertThat(BindAnswer.classify(409, ASSIGNED_TO_NODE_B, "node-b"))
                .isEqualTo(new BindOutcome(
                        BindOutcome.Kind.ALREADY_BOUND,
                        "Operation cannot be fulfilled on pods/binding \"p\": pod p is already assigned to node"
                                + " \"node-b\""));
    }

    @Test
    void alreadyAssignedToAnotherNodeIsBoundElsewhere() {
        assertThat(BindAnswer.classify(409, ASSIGNED_TO_NODE_B, "node-a").kind())
                .isEqualTo(BindOutcome.Kind.BOUND_ELSEWHERE);
        assertThat(BindAnswer.classify(409, ASSIGNED_TO_NODE_B, "node-b2").kind())
                .as("the whole quoted name, not a prefix")
                .isEqualTo(BindOutcome.Kind.BOUND_ELSEWHERE);
    }

    @Test
    void aPodBeingDeletedOrRecreatedIsGone() {
        assertThat(BindAnswer.classify(409, BEING_DELETED, "n").kind()).isEqualTo(BindOutcome.Kind.POD_GONE);
        BindOutcome uid = BindAnswer.classify(409, UID_MISMATCH, "n");
        assertThat(uid.kind()).isEqualTo(BindOutcome.Kind.POD_GONE);
        assertThat(uid.message()).contains("UID in object meta: 6e3d3b3c-0000-4000-8000-000000000002");
    }

    @Test
    void everyOtherConflictIsAFailureWithItsBody() {
        BindOutcome gated = BindAnswer.classify(409, GATED, "n");
        assertThat(gated.kind()).isEqualTo(BindOutcome.Kind.FAILED);
        assertThat(gated.message())
                .startsWith("HTTP 409: the pod has scheduling gates")
                .endsWith(GATED);
        String other = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"Operation"
                + " cannot be fulfilled on pods/binding \\\"p\\\": something new\",\"reason\":\"Conflict\",\"code\":409}";
        assertThat(BindAnswer.classify(409, other, "n"))
                .isEqualTo(new BindOutcome(BindOutcome.Kind.FAILED, "HTTP 409: " + other));
        String invalid = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"denied by"
                + " policy\",\"reason\":\"Invalid\",\"code\":422}";
        assertThat(BindAnswer.classify(409, "not json", "n"))
                .isEqualTo(new BindOutcome(BindOutcome.Kind.FAILED, "HTTP 409: not json"));
        assertThat(BindAnswer.classify(422, invalid, "n"))
                .isEqualTo(new BindOutcome(BindOutcome.Kind.FAILED, "HTTP 422: " + invalid));
    }

    private static io.fabric8.kubernetes.client.http.HttpResponse<String> response(int code, String body) {
        return new io.fabric8.kubernetes.client.http.HttpResponse<>() {
            @Override
            public int code() {
                return code;
            }

            @Override
            public String body() {
                return body;
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
