package io.qshard.kube.api;

/** One pod's usage in a {@link NodeUsageStatus}. Mutable model object. */
public class PodUsage extends UsageAmount {
    private String uid;
    private String namespace;
    private String name;
    private String tier;

    public PodUsage() {}

    public PodUsage(String uid, String namespace, String name, String tier, long cpuMilli, long memoryBytes) {
        super(cpuMilli, memoryBytes);
        this.uid = uid;
        this.namespace = namespace;
        this.name = name;
        this.tier = tier;
    }

    public String getUid() {
        return uid;
    }

    public void setUid(String uid) {
        this.uid = uid;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getTier() {
        return tier;
    }

    public void setTier(String tier) {
        this.tier = tier;
    }
}
