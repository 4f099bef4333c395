package weft.bench.baseline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import weft.bench.Measure;

/**
 * The bare-JDK side of each core scenario: the same programs on plain virtual threads (the JDK's
 * scheduler) with the JDK's own queues as mailboxes. The benchmark's agent leaves this package
 * without yield points ({@code exclude=weft.bench.baseline}), so it runs as plain Java does.
 */
public final class BareScenarios {

  private static final Thread.Builder.OfVirtual THREADS = Thread.ofVirtual();

  private BareScenarios() {}

  /**
   * Starts n virtual threads that wait; returns {seconds, bytes each}.
   *
   * @param n how many
   * @return seconds to start them all, heap per thread
   * @throws Exception if interrupted
   */
  public static double[] spawnIdle(int n) throws Exception {
    long before = Measure.usedHeapAfterGc();
    CountDownLatch waiting = new CountDownLatch(n);
    CountDownLatch release = new CountDownLatch(1);
    Thread[] threads = new Thread[n];
    long[] t0 = new long[1];
    // Started by a virtual thread, as the processes are by a process.
    THREADS
        .start(() -> {
          t0[0] = System.nanoTime();
          for (int i = 0; i < n; i++) {
            threads[i] =
                THREADS.start(() -> {
                  waiting.countDown();
                  await(release);
                });
          }
        })
        .join();
    waiting.await();
    double seconds = (System.nanoTime() - t0[0]) / 1e9;
    Measure.settle(() -> allWaiting(threads));
    long after = Measure.usedHeapAfterGc();
    release.countDown();
    for (Thread t : threads) {
      t.join();
    }
    return new double[] {seconds, (after - before) / (double) n};
  }

  private static boolean allWaiting(Thread[] threads) {
    for (Thread t : threads) {
      if (t.getState() != Thread.State.WAITING) {
        return false;
      }
    }
    return true;
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Starts n virtual threads that end at once; threads per second.
   *
   * @param n how many
   * @return the rate
   * @throws Exception if interrupted
   */
  public static double spawnExit(int n) throws Exception {
    CountDownLatch done = new CountDownLatch(n);
    long t0 = System.nanoTime();
    THREADS.start(() -> {
      for (int i = 0; i < n; i++) {
        THREADS.start(done::countDown);
      }
    });
    done.await();
    return n / ((System.nanoTime() - t0) / 1e9);
  }

  /**
   * n round trips between two virtual threads over two queues; round trips per second.
   *
   * @param n round trips
   * @return the rate
   * @throws Exception if interrupted
   */
  public static double pingPong(int n) throws Exception {
    LinkedTransferQueue<Integer> toEcho = new LinkedTransferQueue<>();
    LinkedTransferQueue<Integer> back = new LinkedTransferQueue<>();
    Thread echo =
        THREADS.start(() -> {
          try {
            for (int i = 0; i < n; i++) {
              back.put(toEcho.take());
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    double[] rate = new double[1];
    Thread player =
        THREADS.start(() -> {
          try {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
              toEcho.put(i);
              back.take();
            }
            rate[0] = n / ((System.nanoTime() - t0) / 1e9);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    player.join();
    echo.join();
    return rate[0];
  }

  /**
   * A ring of n virtual threads, each with a queue, passes a token; seconds.
   *
   * @param n members
   * @param hops hops
   * @return seconds
   * @throws Exception if interrupted
   */
  public static double ring(int n, int hops) throws Exception {
    List<LinkedTransferQueue<Integer>> queues = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      queues.add(new LinkedTransferQueue<>());
    }
    CountDownLatch done = new CountDownLatch(1);
    Thread[] threads = new Thread[n];
    for (int i = 0; i < n; i++) {
      LinkedTransferQueue<Integer> in = queues.get(i);
      LinkedTransferQueue<Integer> out = queues.get((i + 1) % n);
      threads[i] =
          THREADS.start(() -> {
            try {
              while (true) {
                int t = in.take();
                if (t == 0) {
                  done.countDown();
                  out.put(-1);
                  return;
                }
                if (t < 0) {
                  out.put(t);
                  return;
                }
                out.put(t - 1);
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
    }
    long t0 = System.nanoTime();
    queues.getFirst().put(hops);
    done.await();
    double seconds = (System.nanoTime() - t0) / 1e9;
    for (Thread t : threads) {
      t.join();
    }
    return seconds;
  }

  private record Request(int n, CompletableFuture<Integer> reply) {}

  /**
   * n calls to a server virtual thread, each waiting for its reply (a future) with a 5 s timeout;
   * calls per second.
   *
   * @param n calls
   * @return the rate
   * @throws Exception if interrupted
   */
  public static double calls(int n) throws Exception {
    LinkedTransferQueue<Request> inbox = new LinkedTransferQueue<>();
    Thread server =
        THREADS.start(() -> {
          try {
            for (int i = 0; i < n; i++) {
              Request r = inbox.take();
              r.reply().complete(r.n());
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    double[] rate = new double[1];
    Thread client =
        THREADS.start(() -> {
          long t0 = System.nanoTime();
          for (int i = 0; i < n; i++) {
            CompletableFuture<Integer> reply = new CompletableFuture<>();
            inbox.add(new Request(i, reply));
            try {
              reply.get(5, TimeUnit.SECONDS); // a call has a timeout, as GenServer.call does
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
          rate[0] = n / ((System.nanoTime() - t0) / 1e9);
        });
    client.join();
    server.join();
    return rate[0];
  }

  /**
   * A supervising virtual thread restarts its worker thread each time the worker is interrupted and
   * ends, n times; restarts per second.
   *
   * @param n restarts
   * @return the rate
   * @throws Exception if interrupted
   */
  public static double restarts(int n) throws Exception {
    LinkedTransferQueue<Thread> started = new LinkedTransferQueue<>();
    Thread supervisor =
        THREADS.start(() -> {
          try {
            for (int i = 0; i <= n; i++) {
              Thread worker =
                  THREADS.start(() -> {
                    started.add(Thread.currentThread());
                    LockSupport.park();
                  });
              worker.join();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    Thread worker = started.take();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      worker.interrupt();
      worker = started.take();
    }
    double rate = n / ((System.nanoTime() - t0) / 1e9);
    worker.interrupt();
    supervisor.join();
    return rate;
  }

  /**
   * The fairness scenario on plain virtual threads; returns the requester's latencies in
   * microseconds (none when the hogs starve it).
   *
   * @param hogs spinning threads
   * @param duration how long they spin
   * @return the latencies
   * @throws Exception if interrupted
   */
  public static List<Long> fairness(int hogs, Duration duration) throws Exception {
    long deadline = System.nanoTime() + duration.toNanos();
    List<Thread> hogThreads = new ArrayList<>();
    for (int i = 0; i < hogs; i++) {
      hogThreads.add(THREADS.start(() -> hog(deadline)));
    }
    LinkedTransferQueue<Integer> toEcho = new LinkedTransferQueue<>();
    LinkedTransferQueue<Integer> back = new LinkedTransferQueue<>();
    Thread echo =
        THREADS.start(() -> {
          try {
            while (true) {
              int v = toEcho.take();
              if (v < 0) {
                return;
              }
              back.put(v);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    Thread requester =
        THREADS.start(() -> {
          try {
            while (System.nanoTime() < deadline) {
              long t0 = System.nanoTime();
              toEcho.put(1);
              back.take();
              latencies.add((System.nanoTime() - t0) / 1000);
              Thread.sleep(1);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    for (Thread h : hogThreads) {
      h.join();
    }
    requester.join();
    toEcho.put(-1);
    echo.join();
    return new ArrayList<>(latencies);
  }

  static volatile long sink;

  private static void hog(long deadline) {
    long acc = 0;
    while (System.nanoTime() < deadline) {
      for (int k = 10_000; k > 0; k--) {
        acc = (acc * 31 + k) & 0xFFFFFF;
      }
    }
    sink = acc;
  }
}
