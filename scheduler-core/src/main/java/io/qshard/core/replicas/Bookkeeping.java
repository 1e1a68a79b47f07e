package io.qshard.core.replicas;

import java.time.Instant;

/**
 * The controller's own annotations on a hosted workload ({@link HostingAnnotations}); every field may be null (absent
 * or unparsable). Immutable.
 *
 * @param request          R, the owner's request: spec.replicas when adopted, or the last manual value
 * @param set              S, the replicas of the controller's last write
 * @param setFrom          F, spec.replicas just before that write
 * @param changedAt        when the controller last changed the replicas
 * @param requestChangedAt when a manual change was last seen (starts the manual hold)
 */
public record Bookkeeping(Integer request, Integer set, Integer setFrom, Instant changedAt, Instant requestChangedAt) {
    /** No bookkeeping: a workload not yet adopted. */
    public static final Bookkeeping NONE = new Bookkeeping(null, null, null, null, null);

    /** @return whether any field is present */
    public boolean present() {
        return request != null || set != null || setFrom != null || changedAt != null || requestChangedAt != null;
    }
}
