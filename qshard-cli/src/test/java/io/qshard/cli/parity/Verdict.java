package io.qshard.cli.parity;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one scheduler did with one probe: bound it to a node, rejected it (PodScheduled=False, with the message), or
 * nothing within the deadline. Immutable.
 *
 * @param node    the node it was bound to, or null
 * @param message the PodScheduled=False message when rejected, else null
 */
public record Verdict(Kind kind, String node, String message) {
    private static final Pattern REASON_SEPARATOR = Pattern.compile(", (?=\\d+ )");
    private static final Pattern PIN_TAINT_ITEM = Pattern.compile(",? ?\\d+ node\\(s\\) had taint \\{"
            + Pattern.quote(ParityCluster.PIN_TAINT) + ": [^}]*\\}, that the pod " + "didn't tolerate");

    public enum Kind {
        BOUND,
        REJECTED,
        TIMEOUT
    }

    public static Verdict bound(String node) {
        return new Verdict(Kind.BOUND, node, null);
    }

    public static Verdict rejected(String message) {
        return new Verdict(Kind.REJECTED, null, message == null ? "" : message);
    }

    public static Verdict timeout() {
        return new Verdict(Kind.TIMEOUT, null, null);
    }

    public boolean feasible() {
        return kind == Kind.BOUND;
    }

    /**
     * The "count reason" items of a kube-scheduler style message ({@code 0/9 nodes are available: 1 node(s) didn't
     * match pod affinity rules, 8 node(s) had taint {…}, that the pod didn't tolerate.}); empty when not rejected or
     * when the message has no such list.
     */
    public List<String> countedReasons() {
        if (kind != Kind.REJECTED) {
            return List.of();
        }
        int colon = message.indexOf(": ");
        if (colon < 0) {
            return List.of();
        }
        String body = message.substring(colon + 2).strip();
        if (body.endsWith(".")) {
            body = body.substring(0, body.length() - 1);
        }
        return REASON_SEPARATOR
                .splitAsStream(body)
                .filter(item -> !item.isBlank())
                .map(String::strip)
                .toList();
    }

    /** {@link #countedReasons()} without the leading count. */
    public List<String> reasons() {
        return countedReasons().stream().map(r -> r.replaceFirst("^\\d+ ", "")).toList();
    }

    /**
     * The message without the "had taint {qshard.io/parity-node: …}" items the pinning adds for every other node
     * (replaced by their number), for tables.
     */
    public String shownMessage() {
        if (kind != Kind.REJECTED) {
            return "";
        }
        Matcher m = PIN_TAINT_ITEM.matcher(message);
        int pins = 0;
        while (m.find()) {
            pins++;
        }
        return pins == 0 ? message : PIN_TAINT_ITEM.matcher(message).replaceAll("") + " [+" + pins + " pinning taints]";
    }

    /** Short form for tables: the node, "rejected" or "no answer". */
    public String brief() {
        return switch (kind) {
            case BOUND -> node;
            case REJECTED -> "rejected";
            case TIMEOUT -> "no answer";
        };
    }
}
