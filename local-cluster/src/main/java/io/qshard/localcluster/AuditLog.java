package io.qshard.localcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the apiserver's audit log (one JSON event per line, written when the control plane was started
 * with audit verbs). Used to show what clients really asked the apiserver, e.g. that an informer's
 * initial LIST carried {@code resourceVersion=0} and no {@code limit}. Thread-safe (stateless reads).
 */
public final class AuditLog {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BINDING = "/binding";
    private final Path file;

    public AuditLog(Path file) {
        this.file = file;
    }

    /**
     * One audited request.
     *
     * @param verb       API verb (list, watch, create…)
     * @param user       authenticated user name
     * @param userAgent  the client's User-Agent header
     * @param requestUri path and query as sent
     * @param stage      audit stage (ResponseStarted, ResponseComplete…)
     * @param code       HTTP status, 0 when not yet known
     */
    public record Event(String verb, String user, String userAgent, String requestUri, String stage, int code) {
        /** Whether the query string has {@code name=value} as one parameter. */
        public boolean hasParam(String name, String value) {
            return params().contains(name + "=" + value);
        }

        /** Whether the query string has parameter {@code name} at all. */
        public boolean hasParam(String name) {
            return params().stream().anyMatch(p -> p.equals(name) || p.startsWith(name + "="));
        }

        /** The pod a {@code create …/pods/<name>/binding} was for, or null when this event is anything else. */
        public String bindingPod() {
            if (!"create".equals(verb)
                    || !requestUri.endsWith(BINDING)
                    || !requestUri.startsWith("/api/v1/namespaces/")) {
                return null;
            }
            String path = requestUri.substring(0, requestUri.length() - BINDING.length());
            int slash = path.lastIndexOf('/');
            return path.substring(0, slash).endsWith("/pods") ? path.substring(slash + 1) : null;
        }

        /** The namespace of the request, or null for a cluster-scoped one. */
        public String namespace() {
            String p = "/api/v1/namespaces/";
            if (!requestUri.startsWith(p)) {
                return null;
            }
            int end = requestUri.indexOf('/', p.length());
            return end < 0 ? null : requestUri.substring(p.length(), end);
        }

        private List<String> params() {
            int q = requestUri.indexOf('?');
            return q < 0 ? List.of() : List.of(requestUri.substring(q + 1).split("&"));
        }
    }

    /** The {@code pods/binding} creates logged so far in {@code namespace}, in log order (any response code). */
    public List<Event> bindings(String namespace) {
        return events().stream()
                .filter(e -> e.bindingPod() != null && namespace.equals(e.namespace()))
                .toList();
    }

    /** All events logged so far; unparsable lines (a line being written) are skipped. */
    public List<Event> events() {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Event> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode n = JSON.readTree(line);
                    out.add(new Event(
                            n.path("verb").asString(),
                            n.path("user").path("username").asString(),
                            n.path("userAgent").asString(),
                            n.path("requestURI").asString(),
                            n.path("stage").asString(),
                            n.path("responseStatus").path("code").asInt(0)));
                } catch (JacksonException partialLine) {
                    // the apiserver may be mid-write on the last line
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
