package io.qshard.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scraped {@code /metrics} page (the Prometheus text format; the Java client has no parser of it): sample key
 * ({@code name{labels}}) → value, with sums over label filters.
 */
final class PromScrape {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final Map<String, Double> samples = new HashMap<>();
    private final String text;

    private PromScrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int sp = line.lastIndexOf(' ');
            samples.put(line.substring(0, sp), number(line.substring(sp + 1)));
        }
    }

    static PromScrape of(int port) throws IOException, InterruptedException {
        return new PromScrape(get(port, "/metrics").body());
    }

    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Σ of the samples named {@code name} whose labels contain every {@code key="value"} of {@code labels}. */
    double sum(String name, String... labels) {
        double s = 0;
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            String k = e.getKey();
            if (!(k.equals(name) || k.startsWith(name + "{"))) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                all &= k.contains(l);
            }
            if (all) {
                s += e.getValue();
            }
        }
        return s;
    }

    /**
     * The {@code name_bucket} samples whose labels contain every {@code key="value"} of {@code labels}, summed per
     * upper bound: {@code le} → cumulative count, by increasing bound ({@code +Inf} last).
     */
    TreeMap<Double, Double> buckets(String name, String... labels) {
        TreeMap<Double, Double> out = new TreeMap<>();
        Matcher le = Pattern.compile("le=\"([^\"]+)\"").matcher("");
        samples.forEach((k, v) -> {
            if (k.startsWith(name + "_bucket{")
                    && Arrays.stream(labels).allMatch(k::contains)
                    && le.reset(k).find()) {
                out.merge(number(le.group(1)), v, Double::sum);
            }
        });
        return out;
    }

    /** Whether a {@code # TYPE name type} line is present. */
    boolean hasFamily(String name, String type) {
        return text.contains("# TYPE " + name + " " + type + "\n");
    }

    private static double number(String v) {
        return switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(v);
        };
    }

    @Override
    public String toString() {
        return text;
    }
}
