package weft.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Helpers shared by the benchmarks: medians, percentiles, heap after GC. */
public final class Measure {

  private Measure() {}

  /** A figure that may throw. */
  @FunctionalInterface
  public interface Figure {
    /**
     * Measures once.
     *
     * @return the figure
     * @throws Exception if the run fails
     */
    double run() throws Exception;
  }

  /**
   * One warm-up run, then the median of {@code rounds} runs.
   *
   * @param rounds how many measured runs
   * @param figure the measurement
   * @return the median
   * @throws Exception if a run fails
   */
  public static double median(int rounds, Figure figure) throws Exception {
    figure.run();
    double[] v = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      v[i] = figure.run();
    }
    Arrays.sort(v);
    return v[rounds / 2];
  }

  /**
   * The value at a percentile of a list (nearest rank), or NaN for an empty list.
   *
   * @param values the values, in any order
   * @param p the percentile, 0 to 1
   * @return the value
   */
  public static double percentile(List<Long> values, double p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
    int index = (int) Math.max(1, Math.min(sorted.length, Math.round(p * sorted.length)));
    return sorted[index - 1];
  }

  /**
   * Heap in use after full collections.
   *
   * @return bytes
   */
  public static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * Waits (up to a minute) until a condition holds, looking every 10 ms.
   *
   * @param condition the condition
   * @throws InterruptedException if interrupted
   */
  public static void settle(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }
}
