package io.qshard.kube.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.CSINode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.qshard.core.volume.CsiNodeLimits;
import io.qshard.core.volume.PersistentVolume;
import io.qshard.core.volume.StorageClass;
import io.qshard.core.volume.VolumeClaim;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** API objects as the apiserver serves them (JSON, quotes written as '), converted to the core volume records. */
class VolumeConverterTest {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private static <T> T parse(String json, Class<T> type) {
        return JSON.unmarshal(json.replace('\'', '"'), type);
    }

    @Test
    void aClaimKeepsWhatTheBinderReads() {
        VolumeClaim c = VolumeConverter.claim(parse("""
                {'metadata': {'namespace': 'shop', 'name': 'data-0', 'uid': 'u1', 'resourceVersion': '41',
                  'deletionTimestamp': '2026-01-01T00:00:00Z',
                  'annotations': {'volume.beta.kubernetes.io/storage-class': 'beta',
                    'volume.kubernetes.io/selected-node': 'n1', 'pv.kubernetes.io/bind-completed': 'yes'},
                  'ownerReferences': [{'apiVersion': 'v1', 'kind': 'Pod', 'name': 'p', 'uid': 'pod-uid',
                    'controller': true}]},
                 'spec': {'storageClassName': 'ignored-for-the-annotation', 'volumeName': 'pv-1',
                   'accessModes': ['ReadWriteOnce', 'ReadWriteOncePod'], 'volumeMode': 'Block',
                   'resources': {'requests': {'storage': '5Gi'}},
                   'selector': {'matchLabels': {'tier': 'fast'}}},
                 'status': {'phase': 'Bound'}}
                """, PersistentVolumeClaim.class));
        assertThat(c.key()).isEqualTo("shop/data-0");
        assertThat(c.uid()).isEqualTo("u1");
        assertThat(c.storageClassName()).isEqualTo("beta"); // kube's GetPersistentVolumeClaimClass
        assertThat(c.volumeName()).isEqualTo("pv-1");
        assertThat(c.phase()).isEqualTo("Bound");
        assertThat(c.accessModes()).containsExactly("ReadWriteOnce", "ReadWriteOncePod");
        assertThat(c.readWriteOncePod()).isTrue();
        assertThat(c.requestBytes()).isEqualTo(5L << 30);
        assertThat(c.block()).isTrue();
        assertThat(c.selector().matches(Map.of("tier", "fast"))).isTrue();
        assertThat(c.selector().matches(Map.of("tier", "slow"))).isFalse();
        assertThat(c.deleting()).isTrue();
        assertThat(c.selectedNode()).isEqualTo("n1");
        assertThat(c.fullyBound()).isTrue();
        assertThat(c.controllerUid()).isEqualTo("pod-uid");
        assertThat(c.resourceVersion()).isEqualTo("41"); // the binder's precondition
    }

    @Test
    void aMinimalClaimHasNoClassNoSelectorAndIsNotBound() {
        VolumeClaim c = VolumeConverter.claim(parse(
                "{'metadata': {'namespace': 'ns', 'name': 'c'}, 'spec': {'volumeName': 'pv-1'}}",
                PersistentVolumeClaim.class));
        assertThat(c.storageClassName()).isEmpty();
        assertThat(c.selector()).isNull();
        assertThat(c.requestBytes()).isZero();
        assertThat(c.fullyBound()).isFalse(); // volumeName alone: pre-bound, not bound by the controller
        assertThat(c.block()).isFalse();
        assertThat(c.resourceVersion()).isEmpty();
    }

    @Test
    void aBadClaimIsAnErrorNamingItAndTheField() {
        assertThatThrownBy(() -> VolumeConverter.claim(parse(
                        "{'metadata': {'namespace': 'ns', 'name': 'c'}, 'spec': {'resources': {'requests': {'storage':"
                                + " 'lots'}}}}",
                        PersistentVolumeClaim.class)))
                .isInstanceOf(ConversionException.class)
                .hasMessageContaining("persistentvolumeclaim ns/c spec.resources.requests.storage");
        assertThatThrownBy(() -> VolumeConverter.claim(parse(
                        "{'metadata': {'namespace': 'ns', 'name': 'c'}, 'spec': {'selector': {'matchExpressions':"
                                + " [{'key': 'k', 'operator': 'Near'}]}}}",
                        PersistentVolumeClaim.class)))
                .isInstanceOf(ConversionException.class)
                .hasMessageContaining("persistentvolumeclaim ns/c spec.selector.matchExpressions[0]");
        assertThatThrownBy(() -> VolumeConverter.claim(
                        parse("{'metadata': {'namespace': 'ns', 'name': 'c'}}", PersistentVolumeClaim.class)))
                .isInstanceOf(ConversionException.class)
                .hasMessage("persistentvolumeclaim ns/c: no spec");
    }

    @Test
    void aLocalPvKeepsItsNodeAffinityClaimRefAndLabels() {
        PersistentVolume pv =
                VolumeConverter.volume(parse("""
                {'metadata': {'name': 'pv-1', 'resourceVersion': '42', 'labels': {'topology.kubernetes.io/zone': 'a__b'}},
                 'spec': {'storageClassName': 'local', 'capacity': {'storage': '10Gi'},
                   'accessModes': ['ReadWriteOnce'], 'local': {'path': '/mnt/disks/1'},
                   'claimRef': {'namespace': 'shop', 'name': 'data-0', 'uid': 'u1'},
                   'nodeAffinity': {'required': {'nodeSelectorTerms': [
                     {'matchExpressions': [{'key': 'kubernetes.io/hostname', 'operator': 'In', 'values': ['n1']}]},
                     {'matchExpressions': [{'key': 'disk', 'operator': 'Exists', 'values': ['not-allowed']}]}]}}},
                 'status': {'phase': 'Bound'}}
                """, io.fabric8.kubernetes.api.model.PersistentVolume.class));
        assertThat(pv.storageClassName()).isEqualTo("local");
        assertThat(pv.capacityBytes()).isEqualTo(10L << 30);
        assertThat(pv.claimRef()).isEqualTo(new PersistentVolume.ClaimRef("shop", "data-0", "u1"));
        assertThat(pv.phase()).isEqualTo("Bound");
        assertThat(pv.resourceVersion()).isEqualTo("42"); // the binder's precondition
        assertThat(pv.labels()).containsEntry("topology.kubernetes.io/zone", "a__b");
        assertThat(pv.csi()).isFalse();
        assertThat(pv.admits(Map.of("kubernetes.io/hostname", "n1"))).isTrue();
        assertThat(pv.admits(Map.of("kubernetes.io/hostname", "n2"))).isFalse();
        // the second term is invalid (Exists with values): kube's parser fails it, so it matches no node
        assertThat(pv.admits(Map.of("kubernetes.io/hostname", "n2", "disk", "ssd")))
                .isFalse();
    }

    @Test
    void aCsiPvKeepsItsDriverAndHandleAndMatchFieldsSeeNoNodeName() {
        PersistentVolume pv =
                VolumeConverter.volume(parse("""
                {'metadata': {'name': 'pv-2'},
                 'spec': {'capacity': {'storage': '1Gi'}, 'volumeMode': 'Block',
                   'csi': {'driver': 'ebs.csi.aws.com', 'volumeHandle': 'vol-123'},
                   'nodeAffinity': {'required': {'nodeSelectorTerms': [
                     {'matchFields': [{'key': 'metadata.name', 'operator': 'In', 'values': ['n1']}]}]}}},
                 'status': {'phase': 'Available'}}
                """, io.fabric8.kubernetes.api.model.PersistentVolume.class));
        assertThat(pv.csi()).isTrue();
        assertThat(pv.csiDriver()).isEqualTo("ebs.csi.aws.com");
        assertThat(pv.csiHandle()).isEqualTo("vol-123");
        assertThat(pv.block()).isTrue();
        assertThat(pv.claimRef()).isNull();
        // 1.20's volume binder matches PV affinity on labels alone: metadata.name In [n1] never holds
        assertThat(pv.admits(Map.of("kubernetes.io/hostname", "n1"))).isFalse();
    }

    @Test
    void storageClassesAndCsiNodes() {
        StorageClass sc =
                VolumeConverter.storageClass(parse("""
                {'metadata': {'name': 'zonal'}, 'provisioner': 'pd.csi.storage.gke.io',
                 'volumeBindingMode': 'WaitForFirstConsumer',
                 'allowedTopologies': [{'matchLabelExpressions': [
                   {'key': 'topology.kubernetes.io/zone', 'values': ['a', 'b']}]}]}
                """, io.fabric8.kubernetes.api.model.storage.StorageClass.class));
        assertThat(sc.waitForFirstConsumer()).isTrue();
        assertThat(sc.provisions()).isTrue();
        assertThat(sc.allows(Map.of("topology.kubernetes.io/zone", "b"))).isTrue();
        assertThat(sc.allows(Map.of("topology.kubernetes.io/zone", "c"))).isFalse();

        StorageClass local = VolumeConverter.storageClass(parse(
                "{'metadata': {'name': 'local'}, 'provisioner': 'kubernetes.io/no-provisioner'}",
                io.fabric8.kubernetes.api.model.storage.StorageClass.class));
        assertThat(local.waitForFirstConsumer()).isFalse(); // absent: Immediate
        assertThat(local.provisions()).isFalse();
        assertThat(local.allows(Map.of())).isTrue();

        assertThatThrownBy(() -> VolumeConverter.storageClass(parse(
                        "{'metadata': {'name': 'odd'}, 'provisioner': 'x', 'volumeBindingMode': 'Later'}",
                        io.fabric8.kubernetes.api.model.storage.StorageClass.class)))
                .isInstanceOf(ConversionException.class)
                .hasMessageContaining("storageclass odd volumeBindingMode: unknown 'Later'");

        CsiNodeLimits n = VolumeConverter.csiNode(parse("""
                {'metadata': {'name': 'n1'}, 'spec': {'drivers': [
                  {'name': 'ebs.csi.aws.com', 'nodeID': 'i-1', 'allocatable': {'count': 25}},
                  {'name': 'no-limit.example.com', 'nodeID': 'i-1'}]}}
                """, CSINode.class));
        assertThat(n.node()).isEqualTo("n1");
        assertThat(n.limits()).isEqualTo(Map.of("ebs.csi.aws.com", 25));
    }
}
