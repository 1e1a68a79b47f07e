package io.qshard.kube.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code ShardMap.status}: per shard, what its leader acted on last. A Jackson model object. */
public class ShardMapStatus {
    private Map<String, Ack> acks = new LinkedHashMap<>();

    public Map<String, Ack> getAcks() {
        return acks;
    }

    public void setAcks(Map<String, Ack> acks) {
        this.acks = acks;
    }

    /** One shard leader's acknowledgement. */
    public static class Ack {
        private Long epoch;
        private String phase;
        private String holder;
        private String time;
        private List<String> activeNodes;

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

        public String getHolder() {
            return holder;
        }

        public void setHolder(String holder) {
            this.holder = holder;
        }

        public String getTime() {
            return time;
        }

        public void setTime(String time) {
            this.time = time;
        }

        public List<String> getActiveNodes() {
            return activeNodes;
        }

        public void setActiveNodes(List<String> activeNodes) {
            this.activeNodes = activeNodes;
        }
    }
}
