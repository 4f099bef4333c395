package weft.load;

import java.util.List;
import java.util.Locale;

/**
 * What the load processes have reported, summed: a live line while the sockets join.
 *
 * @param connected sockets whose WebSocket handshake completed
 * @param joined sockets whose join was answered ok
 * @param failed sockets that could not connect, were refused, or closed before joining
 * @param closed sockets closed (by either side)
 * @param presenceDiffs presence_diff frames received, all sockets
 * @param presenceStates presence_state frames received
 * @param frames all frames received
 * @param maxDiffs the most presence_diff frames one socket received
 */
record Progress(
    int connected,
    int joined,
    int failed,
    int closed,
    long presenceDiffs,
    long presenceStates,
    long frames,
    int maxDiffs) {

  static final Progress NONE = new Progress(0, 0, 0, 0, 0, 0, 0, 0);

  /** Reads a worker's {@code P ...} line. */
  static Progress parse(String line) {
    String[] f = line.split(" ");
    return new Progress(
        Integer.parseInt(f[1]),
        Integer.parseInt(f[2]),
        Integer.parseInt(f[3]),
        Integer.parseInt(f[4]),
        Long.parseLong(f[5]),
        Long.parseLong(f[6]),
        Long.parseLong(f[7]),
        Integer.parseInt(f[8]));
  }

  static Progress sum(List<Progress> all) {
    Progress s = NONE;
    for (Progress p : all) {
      s =
          new Progress(
              s.connected + p.connected,
              s.joined + p.joined,
              s.failed + p.failed,
              s.closed + p.closed,
              s.presenceDiffs + p.presenceDiffs,
              s.presenceStates + p.presenceStates,
              s.frames + p.frames,
              Math.max(s.maxDiffs, p.maxDiffs));
    }
    return s;
  }

  /** {@code N=2000 [===== ] joined 1000 connected 1010 failed 0 diffs 12345 8.1 s}. */
  String line(int n, long elapsedNanos) {
    int width = 30;
    int done = n == 0 ? width : (int) ((long) width * (joined + failed) / n);
    return String.format(
        Locale.ROOT,
        "N=%d [%s%s] joined %d connected %d failed %d  presence diffs %d  %.1f s   ",
        n,
        "=".repeat(Math.min(width, done)),
        " ".repeat(Math.max(0, width - done)),
        joined,
        connected,
        failed,
        presenceDiffs,
        elapsedNanos / 1e9);
  }
}
