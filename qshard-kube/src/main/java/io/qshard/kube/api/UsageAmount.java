package io.qshard.kube.api;

/** An amount of usage: cpu in milli-cores, memory in bytes (both ≥ 0 by the CRD schema). Mutable model object. */
public class UsageAmount {
    private Long cpuMilli;
    private Long memoryBytes;

    public UsageAmount() {}

    public UsageAmount(long cpuMilli, long memoryBytes) {
        this.cpuMilli = cpuMilli;
        this.memoryBytes = memoryBytes;
    }

    public Long getCpuMilli() {
        return cpuMilli;
    }

    public void setCpuMilli(Long cpuMilli) {
        this.cpuMilli = cpuMilli;
    }

    public Long getMemoryBytes() {
        return memoryBytes;
    }

    public void setMemoryBytes(Long memoryBytes) {
        this.memoryBytes = memoryBytes;
    }
}
