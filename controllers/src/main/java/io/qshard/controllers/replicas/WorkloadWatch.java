package io.qshard.controllers.replicas;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.qshard.core.replicas.WorkloadKey;
import io.qshard.kube.client.KubeconfigResolver;
import io.qshard.kube.informer.CompactItemStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One informer per watched {@link WorkloadKind} (generic resources, compact store): keeps the {@link WorkloadFacts}
 * of every object with a {@code qshard.io/replica*} annotation and no controller owner — the ones hosting may act on,
 * or must clean up after — and the owner map (every seen object's uid → the workload it stands for: its controller
 * owner's uid, or its own) that maps a pod of a Deployment's ReplicaSet to the Deployment. ReplicaSets are always
 * watched for the owner map, whatever {@code --kinds} says (then only the map is kept of them). A kind RBAC forbids is
 * logged once and counts as listed: nothing of it is hosted, and with ReplicaSets forbidden every pod owned by a
 * ReplicaSet has an unknown owner, which holds the downs of its namespace's workloads ({@link HostingInputs}). An
 * object being deleted, or one that cannot be read, is dropped (not its old facts).
 * Thread-safe.
 */
final class WorkloadWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkloadWatch.class);

    private final List<Kind> kinds = new ArrayList<>();
    private final Map<WorkloadKey, WorkloadFacts> facts = new ConcurrentHashMap<>();
    private final Map<String, String> owners = new ConcurrentHashMap<>();

    WorkloadWatch(KubernetesClient client, List<WorkloadKind> watched, WorkloadReader reader) {
        for (WorkloadKind k : watched) {
            kinds.add(new Kind(client, k, reader, true));
        }
        if (watched.stream().noneMatch(WorkloadWatch::replicaSets)) {
            kinds.add(new Kind(client, REPLICA_SETS, reader, false));
        }
    }

    private static final WorkloadKind REPLICA_SETS = new WorkloadKind("apps", "v1", "replicasets", "ReplicaSet");

    private static boolean replicaSets(WorkloadKind k) {
        return k.group().equals(REPLICA_SETS.group()) && k.plural().equals(REPLICA_SETS.plural());
    }

    /** Starts the informers. @return completes once each has delivered its first list or was found forbidden */
    CompletableFuture<Void> start() {
        kinds.forEach(k -> k.informer.start());
        return CompletableFuture.allOf(kinds.stream().map(k -> k.listed).toArray(CompletableFuture[]::new));
    }

    /** @return whether every kind has listed (or is forbidden) */
    boolean synced() {
        return kinds.stream().allMatch(k -> k.listed.isDone());
    }

    /** @return the kind of {@code key}, or null */
    WorkloadKind kind(WorkloadKey key) {
        for (Kind k : kinds) {
            if (k.hosts && k.kind.group().equals(key.group()) && k.kind.kind().equals(key.kind())) {
                return k.kind;
            }
        }
        return null;
    }

    /** @return a copy of the facts of every workload with replica annotations and no controller owner */
    List<WorkloadFacts> facts() {
        return List.copyOf(facts.values());
    }

    /**
     * The workload a pod's controller owner stands for: the owner's own controller owner when it has one (a
     * Deployment's ReplicaSet → the Deployment), else the owner itself; null when the owner is no object seen by these
     * informers (a Job, a DaemonSet, a kind not watched, or a ReplicaSet not seen yet or not listable).
     */
    String workloadOf(String ownerUid) {
        return ownerUid == null ? null : owners.get(ownerUid);
    }

    @Override
    public void close() {
        kinds.forEach(k -> k.informer.close());
    }

    private final class Kind implements ResourceEventHandler<GenericKubernetesResource> {
        final WorkloadKind kind;
        final WorkloadReader reader;
        final SharedIndexInformer<GenericKubernetesResource> informer;
        final CompletableFuture<Void> listed = new CompletableFuture<>();
        /** false: watched for the owner map only (ReplicaSets not in --kinds) */
        final boolean hosts;

        volatile boolean warned;

        Kind(KubernetesClient client, WorkloadKind kind, WorkloadReader reader, boolean hosts) {
            this.kind = kind;
            this.reader = reader;
            this.hosts = hosts;
            ResourceDefinitionContext ctx = new ResourceDefinitionContext.Builder()
                    .withGroup(kind.group())
                    .withVersion(kind.version())
                    .withPlural(kind.plural())
                    .withKind(kind.kind())
                    .withNamespaced(true)
                    .build();
            this.informer = client.genericKubernetesResources(ctx)
                    .inAnyNamespace()
                    .runnableInformer(0)
                    .itemStore(new CompactItemStore<>(GenericKubernetesResource::new));
            informer.exceptionHandler((started, t) -> {
                if (forbidden(t)) {
                    if (!warned) {
                        warned = true;
                        LOG.warn(
                                "RBAC forbids listing {}.{}: none of them is hosted{} (grant list and watch)",
                                kind.plural(),
                                kind.group(),
                                replicaSets(kind) ? ", and workloads whose pods they own are never scaled down" : "");
                    }
                    listed.complete(null);
                } else {
                    LOG.warn(
                            "{}.{} informer: {} (retrying)",
                            kind.plural(),
                            kind.group(),
                            KubeconfigResolver.oneLine(t));
                }
                return true;
            });
            informer.addEventHandler(this);
        }

        @Override
        public void onAdd(GenericKubernetesResource o) {
            String uid = o.getMetadata().getUid();
            if (uid != null) {
                owners.put(uid, ownerOf(o));
            }
            if (!hosts) {
                return;
            }
            if (o.getMetadata().getDeletionTimestamp() != null) {
                facts.remove(key(o)); // being deleted (foreground): neither hosted, written nor given Events
                return;
            }
            WorkloadFacts f;
            try {
                f = reader.read(o, kind);
            } catch (RuntimeException e) {
                LOG.warn(
                        "{} {}/{}: cannot read it: {}",
                        kind.kind(),
                        o.getMetadata().getNamespace(),
                        o.getMetadata().getName(),
                        e.toString());
                facts.remove(key(o)); // not its old facts: an old resourceVersion and replicas would mislead
                return;
            }
            if (f.owned() || f.annotations().isEmpty()) {
                facts.remove(f.key());
            } else {
                facts.put(f.key(), f);
            }
        }

        @Override
        public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource o) {
            onAdd(o);
        }

        @Override
        public void onDelete(GenericKubernetesResource o, boolean finalStateUnknown) {
            facts.remove(key(o));
            if (o.getMetadata().getUid() != null) {
                owners.remove(o.getMetadata().getUid());
            }
        }

        @Override
        public void onList(String resourceVersion, boolean nothing) {
            listed.complete(null);
        }

        private WorkloadKey key(GenericKubernetesResource o) {
            String ns = o.getMetadata().getNamespace();
            return new WorkloadKey(
                    ns == null ? "" : ns,
                    kind.group(),
                    kind.kind(),
                    o.getMetadata().getName());
        }

        private static String ownerOf(GenericKubernetesResource o) {
            if (o.getMetadata().getOwnerReferences() != null) {
                for (var r : o.getMetadata().getOwnerReferences()) {
                    if (Boolean.TRUE.equals(r.getController()) && r.getUid() != null) {
                        return r.getUid();
                    }
                }
            }
            return o.getMetadata().getUid();
        }

        private boolean forbidden(Throwable t) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (c instanceof KubernetesClientException k && k.getCode() == 403) {
                    return true;
                }
            }
            return false;
        }
    }
}
