package io.qshard.kube.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code ShardMap.spec}. A Jackson model object: mutable, not thread-safe. */
public class ShardMapSpec {
    private Integer shards;
    private Long epoch;
    private String phase;
    private Map<String, List<String>> assignment = new LinkedHashMap<>();
    private Map<String, List<String>> target = new LinkedHashMap<>();

    public Integer getShards() {
        return shards;
    }

    public void setShards(Integer shards) {
        this.shards = shards;
    }

    public Long getEpoch() {
        return epoch;
    }

    public void setEpoch(Long epoch) {
        this.epoch = epoch;
    }

    public String getPhase() {
        return phase;
    }

    public void setPhase(String phase) {
        this.phase = phase;
    }

    public Map<String, List<String>> getAssignment() {
        return assignment;
    }

    public void setAssignment(Map<String, List<String>> assignment) {
        this.assignment = assignment;
    }

    public Map<String, List<String>> getTarget() {
        return target;
    }

    public void setTarget(Map<String, List<String>> target) {
        this.target = target;
    }
}
