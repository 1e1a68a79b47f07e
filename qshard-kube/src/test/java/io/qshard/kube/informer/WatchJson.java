package io.qshard.kube.informer;

import io.fabric8.kubernetes.client.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/** The apiserver's JSON for pod LISTs and WATCH events, as {@link PodReflectorTest} answers them. */
final class WatchJson {
    /** A pod whose toleration has a number for a key: the decoder fails deep inside it, after its name and uid. */
    static final String MALFORMED = """
            {"metadata":{"name":"bad","namespace":"ns","uid":"bad","resourceVersion":"99"},
             "spec":{"tolerations":[{"key":5,"operator":"Exists"}],"schedulerName":"qshard-batch"}}""";

    private WatchJson() {}

    static String pod(String uid, String resourceVersion) {
        return "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"p-" + uid
                + "\",\"namespace\":\"ns\",\"uid\":\"" + uid + "\",\"resourceVersion\":\"" + resourceVersion + "\"},"
                + "\"spec\":{\"schedulerName\":\"qshard-batch\","
                + "\"containers\":[{\"name\":\"main\",\"resources\":{\"requests\":{\"cpu\":\"100m\"}}}]},"
                + "\"status\":{\"phase\":\"Pending\"}}";
    }

    /**
     * A pod the decoder refuses (a quantity written as an object, which no apiserver serves) after reading its name,
     * uid and resourceVersion; {@code metadataLast} puts its metadata after the spec that is refused.
     */
    static String undecodable(String uid, String resourceVersion, boolean metadataLast) {
        String metadata = "\"metadata\":{\"name\":\"p-" + uid + "\",\"namespace\":\"ns\",\"uid\":\"" + uid
                + "\",\"resourceVersion\":\"" + resourceVersion + "\"}";
        String spec = "\"spec\":{\"schedulerName\":\"qshard-batch\","
                + "\"containers\":[{\"name\":\"main\",\"resources\":{\"requests\":{\"cpu\":{\"m\":100}}}}]}";
        return "{\"kind\":\"Pod\",\"apiVersion\":\"v1\","
                + (metadataLast ? spec + "," + metadata : metadata + "," + spec)
                + ",\"status\":{\"phase\":\"Pending\"}}";
    }

    static String podList(String resourceVersion, String... pods) {
        return "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"" + resourceVersion
                + "\"},\"items\":[" + String.join(",", pods) + "]}";
    }

    /** One watch event line, newline included. */
    static String event(String type, String object) {
        return "{\"type\":\"" + type + "\",\"object\":" + object.replace("\n", "") + "}\n";
    }

    static String bookmark(String resourceVersion) {
        return event(
                "BOOKMARK",
                "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"" + resourceVersion
                        + "\"}}");
    }

    /** An {@code ERROR} event carrying a Status with this code ({@code 410}: the resourceVersion is too old). */
    static String error(int code) {
        return event(
                "ERROR",
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                        + "\"message\":\"" + (code == 410 ? "too old resource version" : "internal error") + "\","
                        + "\"code\":" + code + "}");
    }

    /** The request's query parameters, in order (undecoded). */
    static Map<String, String> query(HttpRequest request) {
        Map<String, String> params = new LinkedHashMap<>();
        String query = request.uri().getRawQuery();
        if (query != null) {
            for (String kv : query.split("&")) {
                int eq = kv.indexOf('=');
                params.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
            }
        }
        return params;
    }
}
