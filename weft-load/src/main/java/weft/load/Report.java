package weft.load;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/** The load tool's table, CSV, JSON and PNG (broadcast latency and memory against N). */
final class Report {

  private Report() {}

  private static final String[] COLUMNS = {
    "n",
    "processes",
    "joined",
    "failed",
    "join_s",
    "joins_per_s",
    "presence_diffs",
    "diffs_per_client",
    "max_diffs_per_client",
    "heap_per_socket_b",
    "rss_per_socket_b",
    "server_cpu_join_s",
    "server_cpu_broadcast_s",
    "load_cpu_s",
    "first_ms",
    "p50_ms",
    "p99_ms",
    "last_ms",
    "missing",
    "floor_ms",
    "last_over_floor"
  };

  private static double[] values(Row r) {
    return new double[] {
      r.n(),
      r.processes(),
      r.joined(),
      r.failed(),
      r.joinSeconds(),
      r.joinRate(),
      r.presenceDiffs(),
      r.diffsPerClient(),
      r.maxDiffsPerClient(),
      r.heapPerSocketBytes(),
      r.rssPerSocketBytes(),
      r.serverCpuJoin(),
      r.serverCpuBroadcast(),
      r.loadCpu(),
      r.firstMs(),
      r.p50Ms(),
      r.p99Ms(),
      r.lastMs(),
      r.missing(),
      r.floorMs(),
      r.lastOverFloor()
    };
  }

  static String table(List<Row> rows) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%8s %8s %7s %8s %9s %12s %11s %11s %9s %9s %9s %9s %9s %9s%n",
            "N",
            "joined",
            "failed",
            "join s",
            "joins/s",
            "diffs/client",
            "heap/sock",
            "rss/sock",
            "first ms",
            "p50 ms",
            "p99 ms",
            "last ms",
            "floor ms",
            "last/flr"));
    for (Row r : rows) {
      b.append(
          String.format(
              Locale.ROOT,
              "%8d %8d %7d %8.1f %9.0f %12.1f %11s %11s %9.1f %9.1f %9.1f %9.1f %9.1f %9.2f%n",
              r.n(),
              r.joined(),
              r.failed(),
              r.joinSeconds(),
              r.joinRate(),
              r.diffsPerClient(),
              bytes(r.heapPerSocketBytes()),
              bytes(r.rssPerSocketBytes()),
              r.firstMs(),
              r.p50Ms(),
              r.p99Ms(),
              r.lastMs(),
              r.floorMs(),
              r.lastOverFloor()));
    }
    b.append(
        "first/last: the median over the broadcasts of the first and last receiving socket;"
            + " p50/p99 over every receipt; last/flr: last over the C epoll floor for the same N"
            + " (1.0 = the floor). Receipts still missing after 30 s, server and load CPU: in"
            + " the CSV.\n");
    for (Row r : rows) {
      if (r.missing() > 0) {
        b.append(
            String.format(
                Locale.ROOT,
                "N=%d: %d receipt(s) missing after 30 s: its latencies leave those sockets out%n",
                r.n(),
                r.missing()));
      }
    }
    return b.toString();
  }

  private static String bytes(long b) {
    return b < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f KB", b / 1024.0);
  }

  static void write(Path dir, String name, List<Row> rows, String context) throws IOException {
    Files.createDirectories(dir);
    StringBuilder csv = new StringBuilder(String.join(",", COLUMNS)).append('\n');
    StringBuilder json =
        new StringBuilder(
            "{\n  \"context\": \"" + context.replace("\"", "'") + "\",\n  \"rows\": [\n");
    for (int i = 0; i < rows.size(); i++) {
      double[] v = values(rows.get(i));
      StringBuilder obj = new StringBuilder("    {");
      for (int c = 0; c < v.length; c++) {
        csv.append(c == 0 ? "" : ",").append(number(v[c]));
        obj.append(c == 0 ? "" : ", ")
            .append('"')
            .append(COLUMNS[c])
            .append("\": ")
            .append(Double.isNaN(v[c]) ? "null" : number(v[c]));
      }
      csv.append('\n');
      json.append(obj).append('}').append(i + 1 < rows.size() ? "," : "").append('\n');
    }
    json.append("  ]\n}\n");
    Files.writeString(dir.resolve(name + ".csv"), csv);
    Files.writeString(dir.resolve(name + ".json"), json);
    ImageIO.write(chart(rows, context), "png", dir.resolve(name + ".png").toFile());
  }

  private static String number(double d) {
    if (Double.isNaN(d)) {
      return "";
    }
    return d == Math.rint(d) && Math.abs(d) < 1e15
        ? Long.toString((long) d)
        : String.format(Locale.ROOT, "%.3f", d);
  }

  /** Two panels: broadcast latency (last, p99, p50) and the floor against N; memory against N. */
  static BufferedImage chart(List<Row> rows, String context) {
    int width = 1000;
    int height = 460;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.DARK_GRAY);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString("weft-load: broadcast latency and server memory against N", 20, 24);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.drawString(context, 20, 42);
    panel(
        g,
        rows,
        40,
        70,
        440,
        330,
        "broadcast, ms after the send",
        List.of(
            new Series("last client", new Color(200, 60, 60), Row::lastMs),
            new Series("p99", new Color(230, 140, 40), Row::p99Ms),
            new Series("p50", new Color(60, 120, 200), Row::p50Ms),
            new Series("C epoll floor", Color.GRAY, Row::floorMs)));
    panel(
        g,
        rows,
        540,
        70,
        440,
        330,
        "server memory per joined socket, KB",
        List.of(
            new Series(
                "heap after GC", new Color(60, 150, 90), r -> r.heapPerSocketBytes() / 1024.0),
            new Series("RSS", new Color(120, 90, 180), r -> r.rssPerSocketBytes() / 1024.0)));
    g.dispose();
    return img;
  }

  private record Series(String name, Color color, ToDoubleFunction<Row> value) {}

  private static void panel(
      Graphics2D g, List<Row> rows, int x, int y, int w, int h, String title, List<Series> series) {
    double maxN = rows.stream().mapToDouble(Row::n).max().orElse(1);
    double maxV = 1e-9;
    for (Series s : series) {
      for (Row r : rows) {
        double v = s.value().applyAsDouble(r);
        if (!Double.isNaN(v) && v > 0) {
          maxV = Math.max(maxV, v);
        }
      }
    }
    maxV *= 1.1;
    g.setColor(Color.DARK_GRAY);
    g.drawString(title, x, y - 8);
    g.drawRect(x, y, w, h);
    g.drawString("0", x - 12, y + h + 4);
    g.drawString(String.format(Locale.ROOT, "%.0f", maxV), x + 2, y + 12);
    g.drawString("N = " + (long) maxN, x + w - 70, y + h + 16);
    int legend = 0;
    for (Series s : series) {
      g.setColor(s.color());
      g.setStroke(new BasicStroke(2f));
      int px = -1;
      int py = -1;
      for (Row r : rows) {
        double v = s.value().applyAsDouble(r);
        if (Double.isNaN(v) || v < 0) {
          continue;
        }
        int cx = x + (int) (w * r.n() / maxN);
        int cy = y + h - (int) (h * v / maxV);
        g.fillOval(cx - 3, cy - 3, 6, 6);
        if (px >= 0) {
          g.drawLine(px, py, cx, cy);
        }
        px = cx;
        py = cy;
      }
      g.fillRect(x + 10, y + 20 + 16 * legend, 12, 4);
      g.drawString(s.name(), x + 28, y + 26 + 16 * legend);
      legend++;
    }
  }
}
