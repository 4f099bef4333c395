package weft.bench;

import java.util.Arrays;
import java.util.List;

/** Runs the benchmarks: the process runtime, channel broadcast, the job queue, then HTTP. */
public final class AllBenchmarks {

  private AllBenchmarks() {}

  /**
   * Runs the benchmarks.
   *
   * @param args the output directory (optional), then the groups to run: {@code all} (the default)
   *     or a comma-separated list of {@code core}, {@code broadcast}, {@code jobs}, {@code http}
   * @throws Exception if a benchmark fails
   */
  public static void main(String[] args) throws Exception {
    String[] out = args.length > 0 ? new String[] {args[0]} : new String[0];
    List<String> groups =
        args.length > 1 && !args[1].equals("all")
            ? Arrays.asList(args[1].split(","))
            : List.of("core", "broadcast", "jobs", "http");
    for (String g : groups) {
      switch (g.strip()) {
        case "core" -> CoreBench.main(out);
        case "broadcast" -> BroadcastBench.main(out);
        case "jobs" -> JobsBench.main(out);
        case "http" -> HttpBench.main(out);
        default ->
            throw new IllegalArgumentException(
                "unknown benchmark group " + g + " (core, broadcast, jobs, http or all)");
      }
    }
  }
}
