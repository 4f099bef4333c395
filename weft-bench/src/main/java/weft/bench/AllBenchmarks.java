package weft.bench;

/** Runs every benchmark: the process runtime, channel broadcast, then the job queue. */
public final class AllBenchmarks {

  private AllBenchmarks() {}

  /**
   * Runs the benchmarks.
   *
   * @param args the output directory (optional)
   * @throws Exception if a benchmark fails
   */
  public static void main(String[] args) throws Exception {
    CoreBench.main(args);
    BroadcastBench.main(args);
    JobsBench.main(args);
  }
}
