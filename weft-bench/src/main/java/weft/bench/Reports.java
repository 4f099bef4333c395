package weft.bench;

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
import javax.imageio.ImageIO;

/** Writes benchmark results as a printed table, CSV, JSON and a PNG chart. */
public final class Reports {

  private Reports() {}

  /**
   * The results as a fixed-width table.
   *
   * @param results the results
   * @return the table
   */
  public static String table(List<Result> results) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%-26s %16s %16s  %-18s %-28s %8s%n",
            "scenario",
            "weft",
            "baseline",
            "unit",
            "baseline is",
            "weft/base"));
    for (Result r : results) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-26s %16.1f %16.1f  %-18s %-28s %8.2f%n",
              r.scenario(),
              r.weft(),
              r.baseline(),
              r.unit(),
              r.baselineName(),
              r.relative()));
    }
    sb.append("weft/base: 1.00 = as good as the baseline; below 1 = worse (oriented by unit).\n");
    return sb.toString();
  }

  /**
   * Prints the table and writes the files, with a context line naming the JDK, the cores, the
   * detail given and the time.
   *
   * @param dir the directory
   * @param name the base file name
   * @param results the results
   * @param detail what else the reader should know about the run
   * @throws IOException if writing fails
   */
  public static void publish(Path dir, String name, List<Result> results, String detail)
      throws IOException {
    String context =
        "JDK "
            + Runtime.version()
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " cores, "
            + (detail.isEmpty() ? "" : detail + ", ")
            + java.time.Instant.now();
    System.out.print(table(results));
    write(dir, name, results, context);
    System.out.println(
        "results written to " + dir.toAbsolutePath().normalize() + "/" + name + ".{csv,json,png}");
  }

  /**
   * Writes {@code name.csv}, {@code name.json} and {@code name.png} into a directory.
   *
   * @param dir the directory, created if missing
   * @param name the base file name
   * @param results the results
   * @param context a line saying where and when this was measured
   * @throws IOException if writing fails
   */
  public static void write(Path dir, String name, List<Result> results, String context)
      throws IOException {
    Files.createDirectories(dir);
    StringBuilder csv =
        new StringBuilder("scenario,unit,higher_is_better,weft,baseline,baseline_name,relative\n");
    StringBuilder json =
        new StringBuilder("{\n  \"context\": " + quote(context) + ",\n  \"results\": [\n");
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,%s,%s,%.3f,%.3f,%s,%.4f%n",
              r.scenario(),
              r.unit(),
              r.higherIsBetter(),
              r.weft(),
              r.baseline(),
              r.baselineName(),
              r.relative()));
      json.append(
          String.format(
              Locale.ROOT,
              "    {\"scenario\": %s, \"unit\": %s, \"higherIsBetter\": %s, \"weft\": %.3f,"
                  + " \"baseline\": %.3f, \"baselineName\": %s, \"relative\": %.4f}%s%n",
              quote(r.scenario()),
              quote(r.unit()),
              r.higherIsBetter(),
              r.weft(),
              r.baseline(),
              quote(r.baselineName()),
              r.relative(),
              i + 1 < results.size() ? "," : ""));
    }
    json.append("  ]\n}\n");
    Files.writeString(dir.resolve(name + ".csv"), csv);
    Files.writeString(dir.resolve(name + ".json"), json);
    ImageIO.write(chart(results, context), "png", dir.resolve(name + ".png").toFile());
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** A horizontal bar per scenario: Weft relative to its baseline (the line at 1.0). */
  static BufferedImage chart(List<Result> results, String context) {
    int rowHeight = 48;
    int width = 900;
    int left = 240;
    int right = 60;
    int top = 70;
    int height = top + rowHeight * results.size() + 50;
    double max = Math.max(1.5, results.stream().mapToDouble(Result::relative).max().orElse(1));
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.DARK_GRAY);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString("Weft relative to its baseline (1.0 = as good; higher is better)", 20, 28);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawString(context, 20, 50);
    double scale = (width - left - right) / max;
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      int y = top + i * rowHeight;
      g.setColor(Color.DARK_GRAY);
      g.drawString(r.scenario(), 20, y + 22);
      int w = (int) Math.round(r.relative() * scale);
      g.setColor(r.relative() >= 1 ? new Color(60, 140, 80) : new Color(200, 120, 40));
      g.fillRect(left, y + 8, Math.max(1, w), 22);
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format(Locale.ROOT, "%.2f", r.relative()), left + w + 6, y + 24);
    }
    int one = left + (int) Math.round(scale);
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(2f));
    g.drawLine(one, top - 4, one, top + rowHeight * results.size());
    g.drawString("baseline", one - 22, top + rowHeight * results.size() + 18);
    g.dispose();
    return img;
  }
}
