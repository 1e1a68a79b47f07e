package io.qshard.core.plugins;

import io.qshard.core.framework.PluginRegistry;
import io.qshard.core.plugins.booking.NodeBooking;
import io.qshard.core.plugins.complementary.ComplementaryProfile;
import io.qshard.core.plugins.defaultpreemption.DefaultPreemption;
import io.qshard.core.plugins.hotspot.AvoidHotNodes;
import io.qshard.core.plugins.hotspot.HotspotAvoidance;
import io.qshard.core.plugins.imagelocality.ImageLocality;
import io.qshard.core.plugins.interpodaffinity.InterPodAffinity;
import io.qshard.core.plugins.nodeaffinity.NodeAffinity;
import io.qshard.core.plugins.nodeports.NodePorts;
import io.qshard.core.plugins.noderesources.BalancedAllocation;
import io.qshard.core.plugins.noderesources.LeastAllocated;
import io.qshard.core.plugins.noderesources.TierResourceFit;
import io.qshard.core.plugins.nodeunschedulable.NodeUnschedulable;
import io.qshard.core.plugins.nodevolumelimits.NodeVolumeLimits;
import io.qshard.core.plugins.podtopologyspread.PodTopologySpread;
import io.qshard.core.plugins.schedulinggates.SchedulingGates;
import io.qshard.core.plugins.tainttoleration.TaintToleration;
import io.qshard.core.plugins.volumebinding.VolumeBinding;
import io.qshard.core.plugins.volumerestrictions.VolumeRestrictions;
import io.qshard.core.plugins.volumezone.VolumeZone;
import io.qshard.core.preemption.PreemptionArgs;

/** Every plugin qshard ships, registered by name. */
public final class ShippedPlugins {
    private ShippedPlugins() {}

    /** A new registry with the shipped plugins; register your own on it before building profiles. */
    public static PluginRegistry registry() {
        return new PluginRegistry()
                .register(SchedulingGates.NAME, ctx -> new SchedulingGates())
                .register(NodeUnschedulable.NAME, ctx -> new NodeUnschedulable())
                .register(TierResourceFit.NAME, ctx -> new TierResourceFit(ctx.nodeRoom(), ctx.fit()))
                .register(TaintToleration.NAME, ctx -> new TaintToleration())
                .register(NodeAffinity.NAME, ctx -> new NodeAffinity())
                .register(NodePorts.NAME, ctx -> new NodePorts())
                .register(VolumeRestrictions.NAME, ctx -> new VolumeRestrictions())
                .register(NodeVolumeLimits.NAME, ctx -> new NodeVolumeLimits())
                .register(VolumeBinding.NAME, ctx -> new VolumeBinding(ctx.volumes()))
                .register(VolumeZone.NAME, ctx -> new VolumeZone())
                .register(NodeBooking.NAME, NodeBooking::new)
                .register(LeastAllocated.NAME, ctx -> new LeastAllocated())
                .register(BalancedAllocation.NAME, ctx -> new BalancedAllocation())
                .register(ImageLocality.NAME, ctx -> new ImageLocality())
                .register(ComplementaryProfile.NAME, ctx -> new ComplementaryProfile())
                .register(HotspotAvoidance.NAME, ctx -> new HotspotAvoidance())
                .register(AvoidHotNodes.NAME, ctx -> new AvoidHotNodes())
                .register(
                        PodTopologySpread.NAME,
                        ctx -> new PodTopologySpread(ctx.topology().defaultConstraints()))
                .register(
                        InterPodAffinity.NAME,
                        ctx -> new InterPodAffinity(ctx.topology().hardPodAffinityWeight()))
                .register(
                        DefaultPreemption.NAME,
                        ctx -> new DefaultPreemption(PreemptionArgs.DEFAULTS, ctx.clock(), ctx.evictions()));
    }
}
