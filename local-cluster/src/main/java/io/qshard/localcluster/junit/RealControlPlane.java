package io.qshard.localcluster.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against the real local control plane (etcd + kube-apiserver 1.20.2 on loopback),
 * started once per test JVM and shared by every class that asks for it. Test methods and lifecycle methods
 * may declare parameters of type {@code KubernetesClient} (admin) and {@code LocalControlPlane}.
 *
 * <p>Classes share the cluster: put pods in a fresh namespace
 * ({@link io.qshard.localcluster.fixtures.Namespaces#fresh}); nodes are deleted before each class unless
 * {@link #keepNodes()}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(ControlPlaneExtension.class)
public @interface RealControlPlane {
    /** Also run kube-controller-manager (Deployments, ReplicaSets, PDB status, garbage collection). */
    boolean controllerManager() default false;

    /** Keep the nodes earlier classes created (default: delete every node before this class). */
    boolean keepNodes() default false;

    /**
     * Real kubelet nodes (kubelet 1.20.2 + containerd) to run beside the control plane, 0..8;
     * default 0 (API-only nodes). Needs root and cgroup v1: where the
     * machine cannot run a kubelet the class is skipped with the reason logged; missing binaries fail with the
     * install hint. Before each such class, pods on the kubelet nodes are removed and the nodes reset
     * ({@code KubeletNodes.reset}); API-only nodes are deleted unless {@link #keepNodes()}.
     */
    int kubeletNodes() default 0;
}
