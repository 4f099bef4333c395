package weft.testing;

import java.util.Random;
import java.util.function.Consumer;

/**
 * Seeded random generation for property tests: each case gets its own seed, printed in the failure
 * so the case can be replayed with {@code -Dweft.seed=N}.
 */
public final class Seeds {

  private Seeds() {}

  /**
   * Runs {@code cases} cases, or only the one given by the system property {@code weft.seed}.
   *
   * @param base the seed the cases' seeds are drawn from (fixed per test, so runs repeat)
   * @param cases how many cases
   * @param property the property, given each case's generator
   * @throws AssertionError naming the failing case's seed
   */
  public static void forEach(long base, int cases, Consumer<Random> property) {
    String fixed = System.getProperty("weft.seed");
    if (fixed != null) {
      run(Long.parseLong(fixed), property);
      return;
    }
    Random seeds = new Random(base);
    for (int i = 0; i < cases; i++) {
      run(seeds.nextLong(), property);
    }
  }

  private static void run(long seed, Consumer<Random> property) {
    try {
      property.accept(new Random(seed));
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(
          "property failed for seed " + seed + " (replay: -Dweft.seed=" + seed + ")", e);
    }
  }
}
