/**
 * The qshard scheduling framework: pure Java, no Kubernetes client types.
 *
 * <ul>
 *   <li>{@code model} — immutable records: {@link io.qshard.core.model.Resources}, {@link io.qshard.core.model.Node},
 *       {@link io.qshard.core.model.PodRequest}, {@link io.qshard.core.model.Tier}, taints, tolerations, affinity.</li>
 *   <li>{@code config} — {@code qshard.yaml}: tiers (the four defaults built in), pools, scheduling; validated at load
 *       with errors naming the field.</li>
 *   <li>{@code snapshot} — {@link io.qshard.core.snapshot.ClusterState} (the instance's cache, fed by events) and the
 *       immutable per-cycle {@link io.qshard.core.snapshot.ClusterSnapshot} of {@link io.qshard.core.snapshot.NodeState}s.</li>
 *   <li>{@code pool} — the dynamic resource view: how much each tier may still place on a node.</li>
 *   <li>{@code framework} — one interface per extension point (PreFilter, Filter, PreScore, Score, Reserve),
 *       {@link io.qshard.core.framework.Status}, {@link io.qshard.core.framework.Diagnosis}, the plugin registry and
 *       per-tier {@link io.qshard.core.framework.Profile}s.</li>
 *   <li>{@code plugins} — the shipped plugins, one package each.</li>
 *   <li>{@code algorithm} — {@link io.qshard.core.algorithm.SchedulingAlgorithm}: the decision for one pod, a pure
 *       function of (snapshot, pod, seed).</li>
 *   <li>{@code queue} — {@link io.qshard.core.queue.SchedulingQueue}: active / backoff / unschedulable.</li>
 * </ul>
 * Data flows one way: the runtime converts API objects into these records, feeds {@code ClusterState}, takes a
 * snapshot, asks the algorithm, applies the decision. Nothing here calls back into the runtime.
 */
package io.qshard.core;
