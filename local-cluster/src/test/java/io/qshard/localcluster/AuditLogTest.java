package io.qshard.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuditLogTest {

    @ParameterizedTest(name = "{0} {1} → pod {2}, namespace {3}")
    @CsvSource(
            nullValues = "-",
            value = {
                "create, /api/v1/namespaces/ns/pods/p-1/binding,     p-1, ns",
                "get,    /api/v1/namespaces/ns/pods/p-1/binding,     -,   ns", // not a create
                "create, /api/v1/namespaces/ns/events,               -,   ns",
                "create, /api/v1/namespaces/ns/pods/p-1,             -,   ns",
                "create, /api/v1/namespaces/ns/services/s/binding,   -,   ns", // not a pod
                "list,   /api/v1/nodes?resourceVersion=0,            -,   -"
            })
    void bindingCreatesAreReadFromTheRequestUri(String verb, String uri, String pod, String namespace) {
        AuditLog.Event e = new AuditLog.Event(verb, "admin", "agent", uri, "ResponseComplete", 201);
        assertThat(e.bindingPod()).isEqualTo(pod);
        assertThat(e.namespace()).isEqualTo(namespace);
    }
}
