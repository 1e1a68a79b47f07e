package io.qshard.core.config;

import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Where each field of a composed YAML document is written, by the same paths {@link YamlMap} names fields with
 * ({@code tiers[0].weights.LeastAllocated}), so the loader can list its errors in file order. A mapping entry is at
 * its key, a list element at its start. Immutable after construction.
 */
final class YamlPositions {
    /** A 1-based line and column; {@code 0, 0} for "no place in the file", which sorts first. */
    record Position(int line, int column) {
        static final Position NONE = new Position(0, 0);
    }

    private final Map<String, Position> byPath = new HashMap<>();

    private YamlPositions() {}

    /** The positions of {@code root}'s fields; none for an empty document. */
    static YamlPositions of(Optional<Node> root) {
        YamlPositions p = new YamlPositions();
        root.ifPresent(n -> p.walk("", n, Collections.newSetFromMap(new IdentityHashMap<>())));
        return p;
    }

    /** Where {@code path} is written, or else its nearest enclosing field; {@link Position#NONE} when neither is. */
    Position of(String path) {
        String p = path;
        while (!p.isEmpty()) {
            Position at = byPath.get(p);
            if (at != null) {
                return at;
            }
            p = p.substring(0, Math.max(0, Math.max(p.lastIndexOf('.'), p.lastIndexOf('['))));
        }
        return Position.NONE;
    }

    private void walk(String path, Node node, Set<Node> seen) {
        if (!seen.add(node)) {
            return; // an alias of a node walked already (and no endless walk through a recursive one)
        }
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode key) {
                    String child = path.isEmpty() ? key.getValue() : path + "." + key.getValue();
                    mark(child, key);
                    walk(child, t.getValueNode(), seen);
                }
            }
        } else if (node instanceof SequenceNode s) {
            for (int i = 0; i < s.getValue().size(); i++) {
                String child = path + "[" + i + "]";
                mark(child, s.getValue().get(i));
                walk(child, s.getValue().get(i), seen);
            }
        }
    }

    private void mark(String path, Node node) {
        Optional<Mark> at = node.getStartMark();
        at.ifPresent(m -> byPath.putIfAbsent(path, new Position(m.getLine() + 1, m.getColumn() + 1)));
    }
}
