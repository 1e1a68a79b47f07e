package io.qshard.kube.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code NodeUsage.status}: the usage of one node over one sample window. Amounts are integers: cpu in milli-cores,
 * memory in bytes. A fabric8/Jackson model object: mutable, not thread-safe.
 */
public class NodeUsageStatus {
    private String timestamp;
    private Integer windowSeconds;
    private String reporter;
    private UsageAmount node;
    private Map<String, UsageAmount> tiers = new LinkedHashMap<>();
    private List<PodUsage> pods = new ArrayList<>();
    private UsageAmount batchCeiling;

    /** @return end of the sample window, RFC 3339 */
    public String getTimestamp() {
        return timestamp;
    }

    public void setTimestamp(String timestamp) {
        this.timestamp = timestamp;
    }

    /** @return the window length in seconds (1–3600) */
    public Integer getWindowSeconds() {
        return windowSeconds;
    }

    public void setWindowSeconds(Integer windowSeconds) {
        this.windowSeconds = windowSeconds;
    }

    /** @return who wrote the report */
    public String getReporter() {
        return reporter;
    }

    public void setReporter(String reporter) {
        this.reporter = reporter;
    }

    /** @return whole-node usage */
    public UsageAmount getNode() {
        return node;
    }

    public void setNode(UsageAmount node) {
        this.node = node;
    }

    /** @return usage per tier name */
    public Map<String, UsageAmount> getTiers() {
        return tiers;
    }

    public void setTiers(Map<String, UsageAmount> tiers) {
        this.tiers = tiers;
    }

    /** @return usage per pod */
    public List<PodUsage> getPods() {
        return pods;
    }

    public void setPods(List<PodUsage> pods) {
        this.pods = pods;
    }

    /** @return the most batch and free pods may request together from now on, or null (none published) */
    public UsageAmount getBatchCeiling() {
        return batchCeiling;
    }

    public void setBatchCeiling(UsageAmount batchCeiling) {
        this.batchCeiling = batchCeiling;
    }
}
