package io.qshard.shard.scheduler;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.qshard.core.booking.Booking;
import io.qshard.core.booking.BookingStore;
import io.qshard.kube.client.KubeconfigResolver;
import io.qshard.kube.write.Patches;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node bookings on {@code coordination.k8s.io/v1} Leases: one Lease {@code qshard-book-<node>} per node in the
 * booking namespace, its bookings in the annotation {@value BookingCodec#ANNOTATION} ({@link BookingCodec}). A read is
 * a GET; a write is a JSON merge patch that carries the {@code resourceVersion} read, which the apiserver checks (409
 * Conflict when another writer came first), or a create when the node has no Lease yet (409 AlreadyExists when
 * another writer created it first). Verbs: get, create, patch on leases — what the scheduler's Role grants in
 * {@code qshard-system}. Thread-safe (the client is).
 */
final class ApiNodeBookings implements BookingStore {
    private static final Logger LOG = LoggerFactory.getLogger(ApiNodeBookings.class);
    /** Prefix of the booking Leases' names. */
    static final String PREFIX = "qshard-book-";

    private static final int MAX_NAME = 253;

    private final KubernetesClient client;
    private final String namespace;

    ApiNodeBookings(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** The Lease of {@code node}: {@code qshard-book-<node>}, or a hashed name when that would be too long. */
    static String leaseName(String node) {
        String name = PREFIX + node;
        if (name.length() <= MAX_NAME) {
            return name;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(node.getBytes(StandardCharsets.UTF_8));
            String hash = HexFormat.of().formatHex(digest, 0, 8);
            return name.substring(0, MAX_NAME - hash.length() - 1) + "-" + hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public Leased read(String node) {
        String name = leaseName(node);
        try {
            Lease lease = client.resources(Lease.class)
                    .inNamespace(namespace)
                    .withName(name)
                    .get();
            if (lease == null) {
                return Leased.ABSENT;
            }
            Map<String, String> annotations = lease.getMetadata().getAnnotations();
            String text = annotations == null ? null : annotations.get(BookingCodec.ANNOTATION);
            List<Booking> bookings = BookingCodec.decode(
                    text,
                    why -> LOG.warn(
                            "Lease {}/{} annotation {}: {} (skipped)", namespace, name, BookingCodec.ANNOTATION, why));
            return new Leased(lease.getMetadata().getResourceVersion(), bookings, null);
        } catch (KubernetesClientException e) {
            return Leased.failed("GET lease " + namespace + "/" + name + ": " + KubeconfigResolver.oneLine(e));
        }
    }

    @Override
    public Written write(String node, String version, List<Booking> bookings) {
        String name = leaseName(node);
        String text = BookingCodec.encode(bookings);
        try {
            Lease done;
            if (version == null) {
                done = client.resource(new LeaseBuilder()
                                .withMetadata(new ObjectMetaBuilder()
                                        .withNamespace(namespace)
                                        .withName(name)
                                        .withLabels(Map.of("app.kubernetes.io/part-of", "qshard"))
                                        .withAnnotations(Map.of(BookingCodec.ANNOTATION, text))
                                        .build())
                                .build())
                        .create();
            } else {
                String body = client.getKubernetesSerialization()
                        .asJson(Map.of(
                                "metadata",
                                Map.of(
                                        "resourceVersion",
                                        version,
                                        "annotations",
                                        Map.of(BookingCodec.ANNOTATION, text))));
                done = client.resource(Patches.stub(new Lease(), namespace, name))
                        .patch(PatchContext.of(PatchType.JSON_MERGE), body);
            }
            return Written.ok(done.getMetadata().getResourceVersion());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409 || (e.getCode() == 404 && version != null)) { // raced; or deleted meanwhile
                return Written.CONFLICT;
            }
            return Written.failed((version == null ? "CREATE" : "PATCH") + " lease " + namespace + "/" + name + ": "
                    + KubeconfigResolver.oneLine(e));
        }
    }
}
