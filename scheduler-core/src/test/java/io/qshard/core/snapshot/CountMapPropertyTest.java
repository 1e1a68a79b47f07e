package io.qshard.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** CountMap behaves like a copied HashMap of positive counts, in both forms, and old versions never change. */
class CountMapPropertyTest {

    /** Each op: key index (0..199, so maps grow past the flat form) and an add (even) or remove (odd). */
    @Property(tries = 200)
    void matchesAHashMapModel(@ForAll("ops") List<Integer> ops) {
        CountMap map = CountMap.EMPTY;
        Map<String, Integer> model = new HashMap<>();
        List<CountMap> versions = new ArrayList<>();
        List<Map<String, Integer>> modelVersions = new ArrayList<>();
        for (int op : ops) {
            String key = "node-" + (op >>> 1);
            boolean remove = (op & 1) == 1 && model.containsKey(key);
            int delta = remove ? -1 : 1;
            map = map.plus(key, delta);
            model.merge(key, delta, Integer::sum);
            model.remove(key, 0);
            versions.add(map);
            modelVersions.add(new HashMap<>(model));
        }
        for (int v = 0; v < versions.size(); v++) {
            CountMap m = versions.get(v);
            Map<String, Integer> want = modelVersions.get(v);
            assertThat(m).hasSize(want.size()).containsExactlyInAnyOrderEntriesOf(want);
            for (String k : want.keySet()) {
                assertThat(m.get(k)).isEqualTo(want.get(k));
            }
            assertThat(m.get("absent")).isNull();
        }
    }

    @Provide
    Arbitrary<List<Integer>> ops() {
        return Arbitraries.integers().between(0, 399).list().ofMaxSize(600);
    }
}
