package io.qshard.kube.testing;

import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A response of {@link HeldHttpClient}: a status and a body, no headers. Immutable. */
record HeldResponse<T>(int code, T body, HttpRequest request) implements HttpResponse<T> {
    @Override
    public Optional<HttpResponse<?>> previousResponse() {
        return Optional.empty();
    }

    @Override
    public List<String> headers(String key) {
        return List.of();
    }

    @Override
    public Map<String, List<String>> headers() {
        return Map.of();
    }
}
