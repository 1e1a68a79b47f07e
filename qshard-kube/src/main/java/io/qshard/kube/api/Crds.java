package io.qshard.kube.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Installs a CRD from its manifest (server-side apply) and waits until the apiserver serves it. */
public final class Crds {
    private Crds() {}

    /**
     * @param client  an admin client
     * @param file    the manifest
     * @param timeout how long to wait for {@code Established=True}
     * @return the CRD's name
     */
    public static String install(KubernetesClient client, Path file, Duration timeout) {
        CustomResourceDefinition crd;
        try (InputStream in = Files.newInputStream(file)) {
            crd = client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .load(in)
                    .item();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CRD manifest " + file, e);
        }
        client.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
        String name = crd.getMetadata().getName();
        client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(name)
                .waitUntilCondition(
                        c -> c != null
                                && c.getStatus() != null
                                && c.getStatus().getConditions() != null
                                && c.getStatus().getConditions().stream()
                                        .anyMatch(
                                                k -> "Established".equals(k.getType()) && "True".equals(k.getStatus())),
                        timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
        return name;
    }
}
