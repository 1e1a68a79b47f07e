package io.qshard.kube.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

class PodJsonReaderTest {
    /** A pod as the apiserver returns it: managedFields, default tolerations, status conditions and all. */
    static final String POD = """
            {"kind":"Pod","apiVersion":"v1","metadata":{"name":"web-1","namespace":"shop","uid":"u-1",
             "resourceVersion":"42","creationTimestamp":"2026-01-01T00:00:00Z","labels":{"app":"web"},
             "annotations":{"x":"y"},"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-abc",
             "uid":"rs-1","controller":true},{"kind":"Other","name":"o","uid":"o-1"}],
             "managedFields":[{"manager":"kubectl","operation":"Update","apiVersion":"v1","time":"2026-01-01T00:00:00Z",
             "fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"main\\"}":{".":{}}}}}}]},
             "spec":{"schedulerName":"qshard-batch","priority":5000,"nodeSelector":{"zone":"a"},
             "affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
               {"matchExpressions":[{"key":"disk","operator":"In","values":["ssd"]}]}]}}},
             "tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},
                            {"key":"dedicated","operator":"Equal","value":"batch","effect":"NoSchedule"}],
             "initContainers":[{"name":"init","resources":{"requests":{"qshard.io/batch-cpu":"900","qshard.io/batch-memory":"1Gi"}}}],
             "containers":[{"name":"main","image":"busybox","env":[{"name":"A","value":"b"}],
               "resources":{"requests":{"qshard.io/batch-cpu":"500","qshard.io/batch-memory":"1Gi","ephemeral-storage":"1Gi"},
                            "limits":{"qshard.io/batch-cpu":"500","qshard.io/batch-memory":"1Gi"}}},
               {"name":"side","resources":{"requests":{"qshard.io/batch-cpu":"200","qshard.io/batch-memory":"512Mi"}}}],
             "overhead":{"qshard.io/batch-cpu":"50"},
             "volumes":[{"name":"v","emptyDir":{}}]},
             "status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False"}]}}
            """;

    private static RawPod read(String json) {
        try (JsonParser p = PodJsonReader.MAPPER.createParser(json)) {
            p.nextToken();
            return PodJsonReader.read(p);
        }
    }

    @Test
    void decodesWhatSchedulingNeedsAndSkipsTheRest() {
        RawPod raw = read(POD);
        assertThat(raw.key()).isEqualTo("shop/web-1");
        assertThat(raw.uid()).isEqualTo("u-1");
        assertThat(raw.resourceVersion()).isEqualTo("42");
        assertThat(raw.phase()).isEqualTo("Pending");
        assertThat(raw.finished()).isFalse();
        assertThat(raw.deleting()).isFalse();
        assertThat(raw.owner().kind()).isEqualTo("ReplicaSet"); // the controller, not the other owner
        assertThat(raw.tolerations()).hasSize(2);
        // batch-cpu: max(500 + 200, init 900) + overhead 50 = 950; batch-memory: max(1.5Gi, 1Gi) = 1.5Gi
        assertThat(raw.requests().batchMilliCpu()).isEqualTo(950);
        assertThat(raw.requests().batchMemoryBytes()).isEqualTo(3L << 29);
        assertThat(raw.requests().pods()).isEqualTo(1);

        PodRequest r = new PodConverter(QshardConfig.defaults()).convert(raw);
        assertThat(r.tier()).isEqualTo("batch");
        assertThat(r.poolRule()).isEqualTo(PoolRule.BATCH_POOL);
        assertThat(r.priority()).isEqualTo(5000);
        assertThat(r.nodeSelector()).containsEntry("zone", "a");
        assertThat(r.affinity().required()).hasSize(1);
        assertThat(r.affinity().requiredMatches("n", java.util.Map.of("disk", "ssd")))
                .isTrue();
        assertThat(r.nodeName()).isNull();
    }

    @Test
    void thePreemptionPolicyTheNominatedNodeAndTheStartTimeAreRead() {
        PodConverter converter = new PodConverter(QshardConfig.defaults());
        PodRequest r = converter.convert(
                read(POD.replace("\"priority\":5000,", "\"priority\":5000,\"preemptionPolicy\":\"Never\",")
                        .replace(
                                "\"status\":{\"phase\":\"Pending\",",
                                "\"status\":{\"phase\":\"Pending\",\"nominatedNodeName\":\"node-7\","
                                        + "\"startTime\":\"2026-01-01T00:00:05Z\",")));
        assertThat(r.details().preemptNever()).isTrue();
        assertThat(r.details().nominatedNode()).isEqualTo("node-7");
        assertThat(r.startTime()).isEqualTo(java.time.Instant.parse("2026-01-01T00:00:05Z"));

        PodRequest plain = converter.convert(read(
                POD.replace("\"priority\":5000,", "\"priority\":5000,\"preemptionPolicy\":\"PreemptLowerPriority\",")));
        assertThat(plain.details().preemptNever()).isFalse(); // the API's default policy
        assertThat(plain.details().nominatedNode()).isNull();
        assertThat(plain.startTime()).isNull(); // no kubelet has started it
        assertThat(plain.startMillis()).isEqualTo(PodRequest.NOT_STARTED);
        assertThat(io.qshard.core.model.PodDetails.NONE.withPreemption(false, ""))
                .as("pods without either share NONE")
                .isSameAs(io.qshard.core.model.PodDetails.NONE);
    }

    @Test
    void podsOfOtherSchedulersCountAsProdAndTerminalPhasesAreFinished() {
        RawPod raw = read(POD.replace("qshard-batch", "default-scheduler")
                .replace("\"Pending\"", "\"Succeeded\"")
                .replace("\"priority\":5000,", "")
                .replace("\"name\":\"main\",", "\"name\":\"main\",\"x\":1,"));
        assertThat(raw.finished()).isTrue();
        PodRequest r = new PodConverter(QshardConfig.defaults()).convert(raw);
        assertThat(r.tier()).isNull();
        assertThat(r.poolRule()).isEqualTo(PoolRule.ALLOCATABLE);
        assertThat(r.priority()).isZero();
    }

    @Test
    void tolerationsReadFieldByFieldEqualTheModelsBinding() {
        String json =
                "[{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":300},"
                        + "{\"key\":\"dedicated\",\"operator\":\"Equal\",\"value\":\"gpu\",\"effect\":\"NoSchedule\",\"extra\":{\"a\":[1]}},"
                        + "{\"operator\":\"Exists\"},{\"key\":\"k\",\"value\":null,\"tolerationSeconds\":null}]";
        java.util.List<io.fabric8.kubernetes.api.model.Toleration> expected =
                new io.fabric8.kubernetes.client.utils.KubernetesSerialization()
                        .unmarshal(
                                json,
                                new tools.jackson.core.type.TypeReference<
                                        java.util.List<io.fabric8.kubernetes.api.model.Toleration>>() {});
        java.util.List<io.fabric8.kubernetes.api.model.Toleration> actual = new java.util.ArrayList<>();
        try (JsonParser p = PodJsonReader.MAPPER.createParser(json)) {
            p.nextToken();
            while (p.nextToken() == tools.jackson.core.JsonToken.START_OBJECT) {
                actual.add(PodJsonReader.toleration(p));
            }
        }
        assertThat(actual).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(actual.get(i).getKey()).isEqualTo(expected.get(i).getKey());
            assertThat(actual.get(i).getOperator()).isEqualTo(expected.get(i).getOperator());
            assertThat(actual.get(i).getValue()).isEqualTo(expected.get(i).getValue());
            assertThat(actual.get(i).getEffect()).isEqualTo(expected.get(i).getEffect());
            assertThat(actual.get(i).getTolerationSeconds())
                    .isEqualTo(expected.get(i).getTolerationSeconds());
        }
        assertThatThrownBy(() -> {
                    try (JsonParser p = PodJsonReader.MAPPER.createParser("{\"key\":{\"x\":1}}")) {
                        p.nextToken();
                        PodJsonReader.toleration(p);
                    }
                })
                .hasMessageContaining("toleration");
    }

    @Test
    void aPodWithoutUidIsRejected() {
        assertThatThrownBy(() -> read("{\"metadata\":{\"name\":\"x\"},\"spec\":{\"containers\":[]}}"))
                .hasMessageContaining("metadata.uid");
    }

    @Test
    void aBadQuantityIsAClearError() {
        assertThatThrownBy(() -> read(POD.replace("\"900\"", "\"lots\""))).isInstanceOf(RuntimeException.class);
    }

    /** Reads {@code json} (an array of pods) with the undecodable-pod path: decoded uids, and what was refused. */
    private static List<String> readAll(String json, List<UndecodablePod> refused) {
        List<String> decoded = new ArrayList<>();
        try (JsonParser p = PodJsonReader.MAPPER.createParser(json)) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_ARRAY);
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                RawPod pod = PodJsonReader.read(p, refused::add);
                if (pod != null) {
                    decoded.add(pod.uid());
                }
                assertThat(p.currentToken()).as("left on the pod's end").isIn(JsonToken.END_OBJECT, t);
            }
            assertThat(p.nextToken()).isNull();
        }
        return decoded;
    }

    @Test
    void anUndecodablePodIsToldWithItsIdentityAndThePodsAroundItAreRead() {
        String bad = POD.replace("\"900\"", "{\"amount\":900}").replace("u-1", "u-bad");
        String negative = POD.replace("\"200\"", "\"-200\"").replace("u-1", "u-neg");
        String good = POD.replace("u-1", "u-2");
        List<UndecodablePod> refused = new ArrayList<>();
        assertThat(readAll("[" + POD + "," + bad + "," + negative + "," + good + "]", refused))
                .containsExactly("u-1", "u-2");
        assertThat(refused)
                .extracting(UndecodablePod::uid, UndecodablePod::key, UndecodablePod::resourceVersion)
                .containsExactly(tuple("u-bad", "shop/web-1", "42"), tuple("u-neg", "shop/web-1", "42"));
        assertThat(refused.get(0).reason()).contains("qshard.io/batch-cpu").contains("expected a quantity");
        assertThat(refused.get(1).reason()).contains("negative quantity");
    }

    @Test
    void theIdentityIsFoundWhereverMetadataStandsAndWhateverItRefused() {
        // metadata after the spec that fails: read from the rest of the object
        String specFirst = """
                {"spec":{"containers":[{"name":"c","resources":{"requests":{"cpu":[1]}}}],"nodeName":"n1"},
                 "status":{"phase":"Running"},
                 "metadata":{"name":"late","namespace":"ns","uid":"u-late","resourceVersion":"7"}}""";
        // a pod the record refuses after the whole object was read (no name)
        String nameless = "{\"metadata\":{\"uid\":\"u-anon\",\"namespace\":\"ns\"},\"spec\":{}}";
        // a value of the wrong type, the parser inside the spec
        String badPriority = "{\"metadata\":{\"name\":\"o\",\"uid\":\"u-prio\",\"resourceVersion\":\"8\"},"
                + "\"spec\":{\"priority\":\"high\",\"nodeName\":\"n1\"},\"status\":{\"phase\":\"Running\"}}";
        // a spec of the wrong type
        String scalarSpec = "{\"metadata\":{\"name\":\"s\",\"uid\":\"u-s\"},\"spec\":\"none\",\"status\":{}}";
        List<UndecodablePod> refused = new ArrayList<>();
        assertThat(readAll(
                        "[" + specFirst + "," + nameless + "," + badPriority + "," + scalarSpec + ", null, " + POD
                                + "]",
                        refused))
                .containsExactly("u-1");
        assertThat(refused)
                .extracting(UndecodablePod::uid, UndecodablePod::key, UndecodablePod::resourceVersion)
                .containsExactly(
                        tuple("u-late", "ns/late", "7"),
                        tuple("u-anon", "ns/?", null),
                        tuple("u-prio", "?/o", "8"),
                        tuple("u-s", "?/s", null),
                        tuple(null, "?/?", null));
        assertThat(refused.get(1).reason()).contains("metadata.name");
        assertThat(refused.get(4).reason()).contains("expected a pod object");
    }

    @Test
    void jsonCutShortInsideThePodStillThrows() {
        List<UndecodablePod> refused = new ArrayList<>();
        String bad = POD.replace("\"900\"", "{\"amount\":900}"); // refused, then the JSON ends in its spec
        String cut = "[" + bad.substring(0, bad.indexOf("overhead"));
        assertThatThrownBy(() -> readAll(cut, refused)).isInstanceOf(RuntimeException.class);
        assertThat(refused).isEmpty();
    }

    @Test
    void matchFieldsOnMetadataNameMatchTheNodeNameNotItsHostnameLabel() {
        String json = POD.replace(
                "{\"matchExpressions\":[{\"key\":\"disk\",\"operator\":\"In\",\"values\":[\"ssd\"]}]}",
                "{\"matchFields\":[{\"key\":\"metadata.name\",\"operator\":\"In\",\"values\":[\"node-a\"]}]}");
        assertThat(json).contains("matchFields");
        PodRequest r = new PodConverter(QshardConfig.defaults()).convert(read(json));
        var term = r.affinity().required().get(0);
        assertThat(term.requirements()).isEmpty();
        assertThat(term.fieldRequirements()).hasSize(1);
        assertThat(r.affinity().requiredMatches("node-a", java.util.Map.of("kubernetes.io/hostname", "host-a")))
                .isTrue();
        assertThat(r.affinity().requiredMatches("host-a", java.util.Map.of("kubernetes.io/hostname", "node-a")))
                .isFalse();
        // a key the API does not accept is refused with its name
        String other = json.replace("\"key\":\"metadata.name\"", "\"key\":\"spec.podCIDR\"");
        assertThatThrownBy(() -> new PodConverter(QshardConfig.defaults()).convert(read(other)))
                .isInstanceOf(ConversionException.class)
                .hasMessageContaining("matchFields: unsupported key 'spec.podCIDR'");
    }

    @Test
    void labelsOfAnyCountAreKeptNullValuesDroppedAndARepeatedKeyTakesTheLast() {
        for (int n : new int[] {0, 1, 5, 6, 12}) {
            StringBuilder labels = new StringBuilder();
            java.util.Map<String, String> expected = new java.util.HashMap<>();
            for (int i = 0; i < n; i++) {
                labels.append(i == 0 ? "" : ",")
                        .append("\"k")
                        .append(i)
                        .append("\":\"v")
                        .append(i)
                        .append('"');
                expected.put("k" + i, "v" + i);
            }
            RawPod raw = read(POD.replace("\"labels\":{\"app\":\"web\"}", "\"labels\":{" + labels + "}"));
            assertThat(raw.labels()).as(n + " labels").isEqualTo(expected);
        }
        RawPod odd =
                read(POD.replace("\"labels\":{\"app\":\"web\"}", "\"labels\":{\"a\":\"1\",\"n\":null,\"a\":\"2\"}"));
        assertThat(odd.labels()).isEqualTo(java.util.Map.of("a", "2"));
    }
}
