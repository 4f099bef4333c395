package weft.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.process.Down;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.task.Task;
import weft.testing.InProcess;

class TableTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final Node node = Node.start("table");

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void setReplacesAndInsertNewKeepsTheFirst() {
    InProcess.run(
        node,
        () -> {
          Table<String, Integer> t = Table.create(TableOptions.of(Table.Type.SET));
          t.insert("a", 1);
          t.insert("a", 2);
          assertThat(t.lookup("a")).containsExactly(2);
          assertThat(t.insertNew("a", 3)).isFalse();
          assertThat(t.insertNew("b", 3)).isTrue();
          assertThat(t.size()).isEqualTo(2);
          assertThat(t.delete("a")).isTrue();
          assertThat(t.get("a")).isEmpty();
        });
  }

  @Test
  void bagKeepsDistinctValuesAndDuplicateBagKeepsAll() {
    InProcess.run(
        node,
        () -> {
          Table<String, Integer> bag = Table.create(TableOptions.of(Table.Type.BAG));
          Table<String, Integer> dup = Table.create(TableOptions.of(Table.Type.DUPLICATE_BAG));
          for (int v : new int[] {1, 2, 1}) {
            bag.insert("k", v);
            dup.insert("k", v);
          }
          assertThat(bag.lookup("k")).containsExactly(1, 2);
          assertThat(dup.lookup("k")).containsExactly(1, 2, 1);
          assertThat(dup.deleteObject("k", 1)).isTrue();
          assertThat(dup.lookup("k")).containsExactly(2);
          assertThat(dup.size()).isEqualTo(1);
        });
  }

  @Test
  void orderedSetIteratesInKeyOrder() {
    InProcess.run(
        node,
        () -> {
          Table<Integer, String> t = Table.create(TableOptions.of(Table.Type.ORDERED_SET));
          for (int k : new int[] {5, 1, 3}) {
            t.insert(k, "v" + k);
          }
          assertThat(t.entries()).extracting(Map.Entry::getKey).containsExactly(1, 3, 5);
          assertThat(t.first()).contains(1);
          assertThat(t.next(1)).contains(3);
          assertThat(t.next(5)).isEmpty();
          assertThat(t.last()).contains(5);
          assertThat(t.select((k, v) -> k > 1))
              .extracting(Map.Entry::getValue)
              .containsExactly("v3", "v5");
        });
  }

  @Test
  void updateCounterIsAtomicUnderConcurrentWriters() {
    InProcess.run(
        node,
        () -> {
          Table<String, Long> t =
              Table.create(TableOptions.of(Table.Type.SET).withAccess(Table.Access.PUBLIC));
          List<Task<Void>> tasks =
              java.util.stream.IntStream.range(0, 8)
                  .mapToObj(i ->
                      Task.<Void>async(() -> {
                        for (int n = 0; n < 1000; n++) {
                          t.updateCounter("hits", 1, 0L);
                        }
                        return null;
                      }))
                  .toList();
          tasks.forEach(task -> task.await(WAIT));
          assertThat(t.get("hits")).contains(8000L);
          assertThatThrownBy(() -> t.updateCounter("missing", 1))
              .isInstanceOf(NoSuchElementException.class);
        });
  }

  @Test
  void accessRulesAreEnforced() {
    InProcess.run(
        node,
        () -> {
          Table<String, String> prot = Table.create(TableOptions.of(Table.Type.SET));
          Table<String, String> priv =
              Table.create(TableOptions.of(Table.Type.SET).withAccess(Table.Access.PRIVATE));
          prot.insert("k", "v");
          priv.insert("k", "v");
          Task<String> other =
              Task.async(() -> {
                assertThat(prot.get("k")).contains("v");
                assertThatThrownBy(() -> prot.insert("k", "x"))
                    .isInstanceOf(IllegalCallerException.class);
                assertThatThrownBy(() -> priv.get("k")).isInstanceOf(IllegalCallerException.class);
                return "checked";
              });
          assertThat(other.await(WAIT)).isEqualTo("checked");
        });
  }

  @Test
  void tableDiesWithItsOwner() throws Exception {
    AtomicReference<Table<String, String>> ref = new AtomicReference<>();
    Pid owner =
        node.spawn(() -> {
          Table<String, String> t = Table.create(TableOptions.of(Table.Type.SET).withName("cache"));
          t.insert("k", "v");
          ref.set(t);
        });
    node.awaitExit(owner, WAIT);
    assertThat(ref.get().isDeleted()).isTrue();
    assertThatThrownBy(() -> ref.get().get("k")).isInstanceOf(IllegalStateException.class);
    InProcess.run(node, () -> assertThat(Table.named("cache")).isEmpty());
  }

  @Test
  void heirInheritsTheTable() {
    InProcess.run(
        node,
        () -> {
          Pid me = Process.self();
          Pid owner =
              Process.spawn(() -> {
                Table<String, String> t =
                    Table.create(TableOptions.of(Table.Type.SET).withHeir(me, "yours"));
                t.insert("k", "v");
              });
          Process.monitor(owner);
          TableTransfer transfer = Process.receive(TableTransfer.class, WAIT).orElseThrow();
          Process.receive(Down.class, WAIT);
          assertThat(transfer.from()).isEqualTo(owner);
          assertThat(transfer.heirData()).isEqualTo("yours");
          @SuppressWarnings("unchecked")
          Table<String, String> t = (Table<String, String>) transfer.table();
          assertThat(t.owner()).isEqualTo(me);
          t.insert("k2", "v2");
          assertThat(t.size()).isEqualTo(2);
        });
  }

  @Test
  void namedTableIsUniqueOnItsNode() {
    InProcess.run(
        node,
        () -> {
          Table<String, String> t = Table.create(TableOptions.of(Table.Type.SET).withName("n"));
          assertThat(Table.<String, String>named("n")).contains(t);
          assertThatThrownBy(() -> Table.create(TableOptions.of(Table.Type.SET).withName("n")))
              .isInstanceOf(IllegalArgumentException.class);
        });
  }
}
