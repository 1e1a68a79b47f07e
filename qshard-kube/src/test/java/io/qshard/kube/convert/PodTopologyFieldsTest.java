package io.qshard.kube.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.NodeSelectorRequirement;
import io.qshard.core.model.NodeSelectorRequirement.Operator;
import io.qshard.core.model.PodAffinity;
import io.qshard.core.model.PodAffinityTerm;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.TopologySpreadConstraint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/** Labels, pod (anti-)affinity, topology spread and deletion read from pod JSON into {@link PodRequest}. */
class PodTopologyFieldsTest {
    private static final PodConverter CONVERTER = new PodConverter(QshardConfig.defaults());

    /** spec before metadata on purpose: defaults that need the namespace and labels are applied at the end. */
    private static final String POD = """
            {"spec":{"schedulerName":"qshard-prod","containers":[{"name":"c"}],
              "affinity":{
               "nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
                 {"matchExpressions":[{"key":"disk","operator":"In","values":["ssd"]}]}]}},
               "podAffinity":{
                "requiredDuringSchedulingIgnoredDuringExecution":[
                  {"labelSelector":{"matchLabels":{"app":"db"}},"topologyKey":"topology.kubernetes.io/zone"}],
                "preferredDuringSchedulingIgnoredDuringExecution":[
                  {"weight":30,"podAffinityTerm":{"labelSelector":{"matchExpressions":[
                     {"key":"tier","operator":"NotIn","values":["batch","free"]}]},
                   "namespaces":[],"namespaceSelector":{},"topologyKey":"kubernetes.io/hostname"}}]},
               "podAntiAffinity":{
                "requiredDuringSchedulingIgnoredDuringExecution":[
                  {"labelSelector":{"matchLabels":{"app":"web"},"matchExpressions":[
                     {"key":"canary","operator":"DoesNotExist"}]},
                   "namespaces":["shop","other"],"namespaceSelector":{"matchLabels":{"team":"a"}},
                   "topologyKey":"kubernetes.io/hostname","matchLabelKeys":["x"]}],
                "preferredDuringSchedulingIgnoredDuringExecution":[
                  {"weight":100,"podAffinityTerm":{"topologyKey":"kubernetes.io/hostname"}}]}},
              "topologySpreadConstraints":[
                {"maxSkew":2,"topologyKey":"topology.kubernetes.io/zone","whenUnsatisfiable":"DoNotSchedule",
                 "labelSelector":{"matchLabels":{"app":"web"}},"minDomains":3,"nodeAffinityPolicy":"Ignore",
                 "nodeTaintsPolicy":"Honor","matchLabelKeys":["pod-template-hash","absent"]},
                {"maxSkew":1,"topologyKey":"kubernetes.io/hostname","whenUnsatisfiable":"ScheduleAnyway",
                 "matchLabelKeys":["pod-template-hash"]}]},
             "metadata":{"name":"web-1","namespace":"shop","uid":"u-1","resourceVersion":"7",
              "labels":{"app":"web","pod-template-hash":"abc"}},
             "status":{"phase":"Pending"}}
            """;

    private static final String PLAIN = """
            {"metadata":{"name":"p","namespace":"ns","uid":"u-2"},"spec":{"containers":[{"name":"c"}]}}
            """;

    private static RawPod read(String json) {
        try (JsonParser p = PodJsonReader.MAPPER.createParser(json)) {
            p.nextToken();
            return PodJsonReader.read(p);
        }
    }

    private static PodRequest convert(String json) {
        return CONVERTER.convert(read(json));
    }

    private static NodeSelectorRequirement req(String key, Operator op, String... values) {
        return new NodeSelectorRequirement(key, op, List.of(values));
    }

    @Test
    void readsLabelsPodAffinityAndSpreadIntoTheModel() {
        PodRequest pod = convert(POD);

        assertThat(pod.labels()).isEqualTo(Map.of("app", "web", "pod-template-hash", "abc"));
        assertThat(pod.affinity().requiredMatches("n", Map.of("disk", "ssd"))).isTrue(); // node affinity kept
        assertThat(pod.affinity().requiredMatches("n", Map.of("disk", "hdd"))).isFalse();
        assertThat(pod.terminating()).isFalse();

        PodAffinity a = pod.podAffinity();
        assertThat(a.required())
                .containsExactly(new PodAffinityTerm(
                        LabelSelector.of(Map.of("app", "db"), List.of()),
                        Set.of("shop"), // none listed, no namespaceSelector: the pod's own namespace
                        null,
                        "topology.kubernetes.io/zone"));
        assertThat(a.preferred())
                .containsExactly(new PodAffinity.Weighted(
                        30,
                        new PodAffinityTerm(
                                LabelSelector.of(Map.of(), List.of(req("tier", Operator.NOT_IN, "batch", "free"))),
                                Set.of(), // a namespaceSelector (empty: every namespace) and no list
                                LabelSelector.EVERYTHING,
                                "kubernetes.io/hostname")));
        assertThat(a.requiredAnti())
                .containsExactly(new PodAffinityTerm(
                        LabelSelector.of(Map.of("app", "web"), List.of(req("canary", Operator.DOES_NOT_EXIST))),
                        Set.of("shop", "other"),
                        LabelSelector.of(Map.of("team", "a"), List.of()),
                        "kubernetes.io/hostname"));
        assertThat(a.preferredAnti())
                .containsExactly(new PodAffinity.Weighted(
                        100,
                        new PodAffinityTerm(LabelSelector.NOTHING, Set.of("shop"), null, "kubernetes.io/hostname")));

        assertThat(pod.spread())
                .containsExactly(
                        new TopologySpreadConstraint(
                                2,
                                "topology.kubernetes.io/zone",
                                true,
                                LabelSelector.of(
                                        Map.of("app", "web"), List.of(req("pod-template-hash", Operator.IN, "abc"))),
                                3,
                                false,
                                true),
                        // no labelSelector: selects nothing, and matchLabelKeys cannot widen it
                        TopologySpreadConstraint.of(1, "kubernetes.io/hostname", false, LabelSelector.NOTHING));
    }

    @Test
    void aPodWithoutTheFieldsHasNone() {
        PodRequest pod = convert(PLAIN);
        assertThat(pod.labels()).isEmpty();
        assertThat(pod.podAffinity()).isEqualTo(PodAffinity.NONE);
        assertThat(pod.spread()).isEmpty();
        assertThat(pod.terminating()).isFalse();
    }

    @Test
    void spreadDefaultsAreTheApis() {
        PodRequest pod = convert(PLAIN.replace(
                "\"containers\"",
                "\"topologySpreadConstraints\":[{\"maxSkew\":1,\"topologyKey\":\"z\","
                        + "\"whenUnsatisfiable\":\"DoNotSchedule\",\"labelSelector\":{}}],\"containers\""));
        assertThat(pod.spread())
                .containsExactly(new TopologySpreadConstraint(1, "z", true, LabelSelector.EVERYTHING, 1, true, false));
    }

    @Test
    void aDeletionTimestampMakesThePodTerminating() {
        PodRequest pod = convert(
                PLAIN.replace("\"uid\":\"u-2\"", "\"uid\":\"u-2\",\"deletionTimestamp\":\"2026-01-01T00:00:00Z\""));
        assertThat(pod.terminating()).isTrue();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "\"operator\":\"In\",\"values\":[\"x\"]|\"operator\":\"Gt\",\"values\":[\"1\"]|"
                        + "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector"
                        + ".matchExpressions[0]: operator: unknown 'Gt'",
                "\"operator\":\"In\",\"values\":[\"x\"]|\"operator\":\"In\",\"values\":[]|"
                        + "matchExpressions[0]: operator In needs values",
                "\"topologyKey\":\"zone\"|\"topologyKey\":\"\"|"
                        + "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: required",
                "\"weight\":40|\"weight\":0|"
                        + "spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: "
                        + "must be 1..100, was 0",
                "\"maxSkew\":1|\"maxSkew\":0|spec.topologySpreadConstraints[0].maxSkew: must be ≥ 1, was 0",
                "\"topologyKey\":\"host\",|\"x\":1,|spec.topologySpreadConstraints[0].topologyKey: required",
                "\"whenUnsatisfiable\":\"DoNotSchedule\"|\"whenUnsatisfiable\":\"Sometimes\"|"
                        + "spec.topologySpreadConstraints[0].whenUnsatisfiable: must be DoNotSchedule or ScheduleAnyway,"
                        + " was 'Sometimes'",
                "\"minDomains\":2|\"minDomains\":0|spec.topologySpreadConstraints[0].minDomains: must be ≥ 1, was 0",
                "\"nodeTaintsPolicy\":\"Honor\"|\"nodeTaintsPolicy\":\"Always\"|"
                        + "spec.topologySpreadConstraints[0].nodeTaintsPolicy: must be Honor or Ignore, was 'Always'",
                "\"app\":\"web\"}}}|\"app\":{\"x\":1}}}}|"
                        + "spec.topologySpreadConstraints[0].labelSelector.matchLabels.app: expected a string",
            })
    void invalidValuesRefuseAPendingPodAndCostABoundOneOnlyItsTopologyFields(
            String valid, String invalid, String message) {
        String pod = """
                {"metadata":{"name":"bad","namespace":"ns","uid":"u-3","labels":{"app":"web"}},
                 "spec":{"containers":[{"name":"c","resources":{"requests":{"cpu":"250m"}}}],"affinity":{
                   "podAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[
                     {"labelSelector":{"matchExpressions":[{"key":"k","operator":"In","values":["x"]}]},
                      "topologyKey":"zone"}]},
                   "podAntiAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[
                     {"weight":40,"podAffinityTerm":{"topologyKey":"host"}}]}},
                  "topologySpreadConstraints":[{"maxSkew":1,"topologyKey":"host","whenUnsatisfiable":"DoNotSchedule",
                    "minDomains":2,"nodeTaintsPolicy":"Honor","labelSelector":{"matchLabels":{"app":"web"}}}]}}
                """;
        assertThat(pod).contains(valid);
        assertThat(convert(pod).spread()).hasSize(1); // the valid pod converts

        List<String> warnings = new ArrayList<>();
        String bound = pod.replace("\"spec\":{", "\"spec\":{\"nodeName\":\"n1\",");
        assertThat(CONVERTER.convert(read(bound), warnings::add).spread()).hasSize(1);
        assertThat(warnings).as("a valid bound pod costs no warning").isEmpty();

        // pending: refused (it must not be scheduled ignoring its rules), the exception alone
        RawPod raw = read(pod.replace(valid, invalid)); // still decoded whole: the reflector tracks it
        assertThat(raw.uid()).isEqualTo("u-3");
        assertThatThrownBy(() -> CONVERTER.convert(raw, warnings::add))
                .isInstanceOf(ConversionException.class)
                .hasMessageStartingWith("pod ns/bad: ")
                .hasMessageContaining(message);
        assertThat(warnings).isEmpty();

        // bound: kept (its resources and labels still count), without pod (anti-)affinity and spread, and reported
        PodRequest kept = CONVERTER.convert(read(bound.replace(valid, invalid)), warnings::add);
        assertThat(kept.uid()).isEqualTo("u-3");
        assertThat(kept.nodeName()).isEqualTo("n1");
        assertThat(kept.requests().milliCpu()).isEqualTo(250);
        assertThat(kept.labels()).isEqualTo(Map.of("app", "web"));
        assertThat(kept.podAffinity()).isEqualTo(PodAffinity.NONE);
        assertThat(kept.spread()).isEmpty();
        assertThat(warnings)
                .singleElement(InstanceOfAssertFactories.STRING)
                .startsWith("pod ns/bad: ")
                .contains(message)
                .endsWith("; bound to n1, so kept without its pod (anti-)affinity and topology spread constraints");
    }

    @Test
    void theOneArgumentConversionLogsTheWarningOfABoundPodInsteadOfRefusingIt() {
        String bad =
                POD.replace("\"maxSkew\":2", "\"maxSkew\":0").replace("\"spec\":{", "\"spec\":{\"nodeName\":\"n1\",");
        PodRequest kept = convert(bad);
        assertThat(kept.nodeName()).isEqualTo("n1");
        assertThat(kept.spread()).isEmpty();
        assertThat(kept.podAffinity()).isEqualTo(PodAffinity.NONE);
        assertThat(kept.affinity().requiredMatches("n", Map.of("disk", "hdd")))
                .as("node affinity kept")
                .isFalse();
    }

    @Test
    void anInvalidPodLeavesTheParserAfterItsObject() {
        String bad = POD.replace("\"maxSkew\":2", "\"maxSkew\":{\"deep\":[1,{\"x\":2}]}");
        try (JsonParser p = PodJsonReader.MAPPER.createParser("[" + bad + "," + PLAIN + "]")) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_ARRAY);
            p.nextToken();
            RawPod first = PodJsonReader.read(p);
            assertThat(first.invalid()).startsWith("spec.topologySpreadConstraints[0].maxSkew: expected an integer");
            assertThat(p.currentToken()).isEqualTo(JsonToken.END_OBJECT);
            p.nextToken();
            assertThat(PodJsonReader.read(p).uid()).isEqualTo("u-2");
        }
    }
}
