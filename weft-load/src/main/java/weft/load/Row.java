package weft.load;

import java.util.List;

/**
 * The figures of one N.
 *
 * @param n sockets asked for
 * @param processes load processes used
 * @param joined sockets joined
 * @param failed sockets that failed to connect or join
 * @param joinSeconds from the first connect to the last join
 * @param presenceDiffs presence_diff frames received by all sockets during the storm
 * @param maxDiffsPerClient the most one socket received
 * @param heapPerSocketBytes server heap after a full GC, joined minus before, per joined socket (-1
 *     unknown)
 * @param rssPerSocketBytes server RSS, likewise (-1 unknown)
 * @param serverCpuJoin server CPU seconds during the joins (-1 unknown)
 * @param serverCpuBroadcast server CPU seconds during the broadcasts (-1 unknown)
 * @param loadCpu the load processes' CPU seconds
 * @param firstMs first socket's receipt, ms after the send (median over broadcasts)
 * @param p50Ms median socket's receipt
 * @param p99Ms 99th percentile
 * @param lastMs last socket's receipt (median over broadcasts)
 * @param missing receipts missing over all broadcasts
 * @param floorMs the C epoll floor for this N (-1 unavailable)
 */
record Row(
    int n,
    int processes,
    int joined,
    int failed,
    double joinSeconds,
    long presenceDiffs,
    int maxDiffsPerClient,
    long heapPerSocketBytes,
    long rssPerSocketBytes,
    double serverCpuJoin,
    double serverCpuBroadcast,
    double loadCpu,
    double firstMs,
    double p50Ms,
    double p99Ms,
    double lastMs,
    int missing,
    double floorMs) {

  static Row of(
      int n,
      int processes,
      Progress total,
      double joinSeconds,
      ServerProbe.Sample before,
      ServerProbe.Sample joinedCpu,
      ServerProbe.Sample after,
      ServerProbe.Sample end,
      List<List<Long>> perBroadcast,
      int missing,
      double loadCpu,
      long floorMicros) {
    int joined = Math.max(1, total.joined());
    long heap =
        before.heapBytes() < 0 || after.heapBytes() < 0
            ? -1
            : (after.heapBytes() - before.heapBytes()) / joined;
    long rss =
        before.rssBytes() < 0 || after.rssBytes() < 0
            ? -1
            : (after.rssBytes() - before.rssBytes()) / joined;
    double[] first = new double[perBroadcast.size()];
    double[] last = new double[perBroadcast.size()];
    List<Long> all = new java.util.ArrayList<>();
    for (int i = 0; i < perBroadcast.size(); i++) {
      List<Long> b = perBroadcast.get(i).stream().sorted().toList();
      first[i] = b.isEmpty() ? Double.NaN : b.getFirst() / 1e6;
      last[i] = b.isEmpty() ? Double.NaN : b.getLast() / 1e6;
      all.addAll(b);
    }
    List<Long> sorted = all.stream().sorted().toList();
    return new Row(
        n,
        processes,
        total.joined(),
        total.failed(),
        joinSeconds,
        total.presenceDiffs(),
        total.maxDiffs(),
        heap,
        rss,
        cpu(before, joinedCpu),
        cpu(after, end),
        loadCpu,
        median(first),
        percentile(sorted, 0.50),
        percentile(sorted, 0.99),
        median(last),
        missing,
        floorMicros < 0 ? -1 : floorMicros / 1e3);
  }

  private static double cpu(ServerProbe.Sample from, ServerProbe.Sample to) {
    return from.cpuSeconds() < 0 || to.cpuSeconds() < 0 ? -1 : to.cpuSeconds() - from.cpuSeconds();
  }

  private static double median(double[] v) {
    double[] s = java.util.Arrays.stream(v).filter(d -> !Double.isNaN(d)).sorted().toArray();
    return s.length == 0 ? Double.NaN : s[s.length / 2];
  }

  private static double percentile(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int i = (int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1);
    return sorted.get(Math.max(0, i)) / 1e6;
  }

  /** Joins per second. */
  double joinRate() {
    return joinSeconds <= 0 ? Double.NaN : joined / joinSeconds;
  }

  /** Presence frames per joined client during the storm. */
  double diffsPerClient() {
    return joined == 0 ? Double.NaN : (double) presenceDiffs / joined;
  }

  /** The last client's latency over the floor (1.0 = as fast as the C floor). */
  double lastOverFloor() {
    return floorMs <= 0 ? Double.NaN : lastMs / floorMs;
  }
}
