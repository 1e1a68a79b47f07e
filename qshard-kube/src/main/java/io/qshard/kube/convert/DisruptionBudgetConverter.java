package io.qshard.kube.convert;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.qshard.core.model.DisruptionBudget;
import java.util.Map;
import java.util.Set;

/**
 * PodDisruptionBudgets, {@code policy/v1} (Kubernetes 1.21+) and {@code policy/v1beta1} (what a 1.20 apiserver
 * serves), to what preemption reads of them: namespace, name, selector and status ({@link DisruptionBudget}). A budget
 * whose status the disruption controller has not written yet allows no disruption (0, as the API's default). Stateless.
 */
public final class DisruptionBudgetConverter {
    private DisruptionBudgetConverter() {}

    /** A {@code policy/v1} budget. @throws ConversionException naming the budget and field */
    public static DisruptionBudget of(io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget pdb) {
        var status = pdb.getStatus();
        return build(
                pdb.getMetadata(),
                pdb.getSpec() == null ? null : pdb.getSpec().getSelector(),
                status == null ? null : status.getDisruptionsAllowed(),
                status == null ? null : status.getDisruptedPods());
    }

    /** A {@code policy/v1beta1} budget. @throws ConversionException naming the budget and field */
    public static DisruptionBudget of(io.fabric8.kubernetes.api.model.policy.v1beta1.PodDisruptionBudget pdb) {
        var status = pdb.getStatus();
        return build(
                pdb.getMetadata(),
                pdb.getSpec() == null ? null : pdb.getSpec().getSelector(),
                status == null ? null : status.getDisruptionsAllowed(),
                status == null ? null : status.getDisruptedPods());
    }

    private static DisruptionBudget build(
            ObjectMeta m, LabelSelector selector, Integer allowed, Map<String, String> disrupted) {
        if (m == null || m.getName() == null || m.getNamespace() == null) {
            throw new ConversionException("poddisruptionbudget without metadata.name or metadata.namespace");
        }
        String what = "poddisruptionbudget " + m.getNamespace() + "/" + m.getName();
        return new DisruptionBudget(
                m.getNamespace(),
                m.getName(),
                WorkloadConverter.selector(selector, what + " spec.selector"),
                allowed == null ? 0 : allowed,
                disrupted == null ? Set.of() : disrupted.keySet());
    }
}
