package weft.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;
import weft.process.Node;
import weft.process.Pid;

/**
 * CPU-bound kernels that run inside a Weft process, timed; the main of a child JVM that CoreBench
 * starts twice, with and without yield points, to measure what they cost. Prints one line per
 * kernel: {@code kernel <name> <best nanoseconds>}.
 *
 * <ul>
 *   <li>{@code fib}: naive recursive Fibonacci, a method entry per call and no loop;
 *   <li>{@code loop}: the fairness scenario's arithmetic loop, a back-edge per iteration;
 *   <li>{@code sort}: a hand-written quicksort of int arrays, loops and calls;
 *   <li>{@code maps}: HashMap and ArrayList work, mostly inside the JDK (no yield points there);
 *   <li>{@code text}: building and parsing strings.
 * </ul>
 */
public final class CpuKernels {

  /** The kernels, by name. */
  static final Map<String, LongSupplier> KERNELS =
      Map.of(
          "fib", () -> fib(32),
          "loop", () -> loop(100_000_000),
          "sort", CpuKernels::sort,
          "maps", CpuKernels::maps,
          "text", CpuKernels::text);

  private CpuKernels() {}

  /**
   * Runs every kernel (five warm-up runs, then the best of ten) and prints the times.
   *
   * @param args unused
   * @throws Exception if a run fails
   */
  public static void main(String[] args) throws Exception {
    try (Node node = Node.start("kernels")) {
      for (String name : List.of("fib", "loop", "sort", "maps", "text")) {
        LongSupplier kernel = KERNELS.get(name);
        long[] best = {Long.MAX_VALUE};
        Pid p =
            node.spawn(() -> {
              for (int i = 0; i < 5; i++) {
                sink += kernel.getAsLong();
              }
              for (int i = 0; i < 10; i++) {
                long t0 = System.nanoTime();
                sink += kernel.getAsLong();
                best[0] = Math.min(best[0], System.nanoTime() - t0);
              }
            });
        node.awaitExit(p, Duration.ofMinutes(10));
        System.out.println("kernel " + name + " " + best[0]);
      }
    }
  }

  static volatile long sink;

  static long fib(int n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
  }

  static long loop(int n) {
    long acc = 0;
    for (int k = n; k > 0; k--) {
      acc = (acc * 31 + k) & 0xFFFFFF;
    }
    return acc;
  }

  static long sort() {
    Random r = new Random(42);
    long sum = 0;
    for (int round = 0; round < 10; round++) {
      int[] a = new int[200_000];
      for (int i = 0; i < a.length; i++) {
        a[i] = r.nextInt();
      }
      quicksort(a, 0, a.length - 1);
      sum += a[a.length / 2];
    }
    return sum;
  }

  private static void quicksort(int[] a, int lo, int hi) {
    while (lo < hi) {
      int p = a[(lo + hi) >>> 1];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (a[i] < p) {
          i++;
        }
        while (a[j] > p) {
          j--;
        }
        if (i <= j) {
          int t = a[i];
          a[i] = a[j];
          a[j] = t;
          i++;
          j--;
        }
      }
      if (j - lo < hi - i) {
        quicksort(a, lo, j);
        lo = i;
      } else {
        quicksort(a, i, hi);
        hi = j;
      }
    }
  }

  static long maps() {
    Map<Integer, Integer> m = new HashMap<>();
    List<Integer> l = new ArrayList<>();
    long sum = 0;
    for (int i = 0; i < 1_000_000; i++) {
      m.merge(i % 5_000, i, Integer::sum);
      l.add(i);
    }
    for (int v : l) {
      sum += m.getOrDefault(v % 7_000, 0);
    }
    return sum;
  }

  static long text() {
    long sum = 0;
    for (int i = 0; i < 1_000_000; i++) {
      String s = "item-" + i + "-" + (i * 7);
      int dash = s.lastIndexOf('-');
      sum += Integer.parseInt(s, dash + 1, s.length(), 10) + s.hashCode();
    }
    return sum;
  }
}
