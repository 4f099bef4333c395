package weft.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.Function;
import org.sqlite.SQLiteConnection;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Pid;
import weft.process.Process;
import weft.scheduler.Scheduler;

/**
 * Transactions run on the store's pool of platform threads, not on the carriers that run processes:
 * SQLite's native code would pin them. The SQL function {@code block()} stands for a long native
 * step: it waits, inside SQLite, until the test releases it.
 */
class OffCarrierTest {

  private static final Duration BOUND = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final Node node = Node.start("store");
  private Store store;
  private final java.util.List<Store> others = new java.util.ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    node.close();
    if (store != null) {
      store.close();
    }
    others.forEach(Store::close);
  }

  private void installBlock(java.sql.Connection c, AtomicInteger inside, AtomicInteger onVirtual)
      throws SQLException {
    Function.create(
        c.unwrap(SQLiteConnection.class),
        "block",
        new Function() {
          @Override
          protected void xFunc() throws SQLException {
            inside.incrementAndGet();
            if (Thread.currentThread().isVirtual()) {
              onVirtual.incrementAndGet();
            }
            try {
              release.await(BOUND.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            result(1);
          }
        });
  }

  @Test
  void processesStillRunWhileEveryCarriersWorthOfProcessesIsBusyInStoreCalls() throws Exception {
    int busy = 2 * Scheduler.options().parallelism();
    // One database each: SQLite writers would otherwise queue for the file's write lock.
    java.util.List<Store> stores = new java.util.ArrayList<>();
    for (int i = 0; i < busy; i++) {
      stores.add(Store.open(StoreConfig.sqlite(dir.resolve("t" + i + ".db"))));
    }
    others.addAll(stores);
    // (Not asserted: the scheduler's compensation count, which is global to the JVM and moved
    // with other tests' processes; that no store call ran on a virtual thread says the same.)
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger onVirtual = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(busy);
    java.util.Queue<Throwable> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
    for (Store each : stores) {
      node.spawn(() -> {
        try {
          each.transaction(c -> {
            installBlock(c, inside, onVirtual);
            return Sql.one(c, "select block()", rs -> rs.getInt(1)).orElseThrow();
          });
        } catch (RuntimeException e) {
          failures.add(e);
        }
        done.countDown();
      });
    }
    while (inside.get() < busy) {
      assertThat(done.getCount()).isEqualTo(busy);
      Thread.onSpinWait();
    }
    // Every store call is inside SQLite now. A trivial process still answers:
    Pid echo =
        node.spawn(() -> {
          Pid from = Process.receive(Pid.class);
          Process.send(from, "pong");
        });
    CountDownLatch answered = new CountDownLatch(1);
    node.spawn(() -> {
      Process.send(echo, Process.self());
      if (Process.receive(String.class, BOUND).isPresent()) {
        answered.countDown();
      }
    });
    assertThat(answered.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(inside.get()).as("the store calls were still running").isEqualTo(busy);
    assertThat(onVirtual.get()).as("no store call ran on a carrier").isZero();
    release.countDown();
    assertThat(done.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(failures).isEmpty();
  }

  @Test
  void theBodyActsForTheCallingProcessButCannotReceive() throws Exception {
    store = Store.open(StoreConfig.sqlite(dir.resolve("t.db")));
    CountDownLatch checked = new CountDownLatch(1);
    node.spawn(() -> {
      Pid self = Process.self();
      Pid inBody = store.transaction(c -> Process.self());
      assertThat(inBody).isEqualTo(self);
      assertThatThrownBy(() -> store.transaction(c -> Process.receive(Duration.ZERO)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("dirty work");
      checked.countDown();
    });
    assertThat(checked.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aTransactionWhoseProcessIsKilledWhileItRunsIsRolledBack() throws Exception {
    store = Store.open(StoreConfig.sqlite(dir.resolve("t.db")));
    store.transaction(c -> Sql.update(c, "create table t(x integer)"));
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger onVirtual = new AtomicInteger();
    CountDownLatch ended = new CountDownLatch(1);
    Pid writer =
        node.spawn(() -> {
          try {
            store.transaction(c -> {
              Sql.update(c, "insert into t values (1)");
              installBlock(c, inside, onVirtual);
              return Sql.one(c, "select block()", rs -> rs.getInt(1));
            });
          } finally {
            ended.countDown();
          }
        });
    while (inside.get() == 0) {
      Thread.onSpinWait();
    }
    node.exit(writer, ExitReason.KILL);
    assertThat(ended.await(BOUND.toSeconds(), TimeUnit.SECONDS))
        .as("the killed process ended at once, while its SQL still ran")
        .isTrue();
    assertThat(node.isAlive(writer)).isFalse();
    release.countDown();
    // The body finishes on its pool thread; then the transaction must be rolled back.
    long rows = -1;
    for (int i = 0; i < 3000 && rows != 0; i++) {
      rows =
          store.transaction(
              c -> Sql.one(c, "select count(*) from t", rs -> rs.getLong(1)).orElseThrow());
      if (rows != 0 && store.dirtyPool().busy() == 0) {
        break;
      }
      Thread.sleep(10);
    }
    assertThat(rows).isZero();
  }
}
