package io.qshard.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** PersistentArray behaves like a copied ArrayList, and old versions never change. */
class PersistentArrayPropertyTest {

    @Property(tries = 300)
    void matchesAnArrayListModel(@ForAll("ops") List<Integer> ops) {
        PersistentArray<Integer> arr = PersistentArray.empty();
        List<Integer> model = new ArrayList<>();
        List<PersistentArray<Integer>> versions = new ArrayList<>();
        List<List<Integer>> modelVersions = new ArrayList<>();
        for (int op : ops) {
            if (op < 0 && !model.isEmpty()) {
                arr = arr.removeLast();
                model.remove(model.size() - 1);
            } else if (op % 3 == 0 && !model.isEmpty()) {
                int i = op % model.size();
                arr = arr.set(i, op);
                model.set(i, op);
            } else {
                arr = arr.append(op);
                model.add(op);
            }
            versions.add(arr);
            modelVersions.add(new ArrayList<>(model));
        }
        for (int v = 0; v < versions.size(); v++) {
            PersistentArray<Integer> a = versions.get(v);
            List<Integer> m = modelVersions.get(v);
            assertThat(a.size()).isEqualTo(m.size());
            for (int i = 0; i < m.size(); i++) {
                assertThat(a.get(i)).isEqualTo(m.get(i));
            }
        }
    }

    @Provide
    Arbitrary<List<Integer>> ops() {
        return Arbitraries.integers().between(-40, 400).list().ofMaxSize(400);
    }
}
