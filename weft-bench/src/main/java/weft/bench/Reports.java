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
    boolean beam = results.stream().anyMatch(Result::hasBeam);
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%-30s %14s %14s%s  %-18s %-28s %9s%s%n",
            "scenario",
            "weft",
            "baseline",
            beam ? String.format(Locale.ROOT, " %14s", "beam") : "",
            "unit",
            "baseline is",
            "weft/base",
            beam ? String.format(Locale.ROOT, " %9s", "weft/beam") : ""));
    for (Result r : results) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-30s %14s %14s%s  %-18s %-28s %9.2f%s%n",
              r.scenario(),
              figure(r.weft()),
              figure(r.baseline()),
              beam ? String.format(Locale.ROOT, " %14s", figure(r.beam())) : "",
              r.unit(),
              r.baselineName(),
              r.relative(),
              beam ? String.format(Locale.ROOT, " %9s", ratio(r.relativeToBeam())) : ""));
    }
    sb.append(
        "weft/base"
            + (beam ? ", weft/beam" : "")
            + ": 1.00 = as good; above 1 = better, below 1 = worse (oriented by unit).\n");
    return sb.toString();
  }

  private static String figure(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.2f", v);
  }

  private static String ratio(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String json(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "null" : String.format(Locale.ROOT, "%.4f", v);
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
        new StringBuilder(
            "scenario,unit,higher_is_better,weft,baseline,baseline_name,relative,beam,relative_beam\n");
    StringBuilder json =
        new StringBuilder("{\n  \"context\": " + quote(context) + ",\n  \"results\": [\n");
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,%s,%s,%.3f,%.3f,%s,%.4f,%s,%s%n",
              r.scenario(),
              r.unit(),
              r.higherIsBetter(),
              r.weft(),
              r.baseline(),
              r.baselineName(),
              r.relative(),
              number(r.beam()),
              number(r.relativeToBeam())));
      json.append(
          String.format(
              Locale.ROOT,
              "    {\"scenario\": %s, \"unit\": %s, \"higherIsBetter\": %s, \"weft\": %.3f,"
                  + " \"baseline\": %.3f, \"baselineName\": %s, \"relative\": %s,"
                  + " \"beam\": %s, \"relativeBeam\": %s}%s%n",
              quote(r.scenario()),
              quote(r.unit()),
              r.higherIsBetter(),
              r.weft(),
              r.baseline(),
              quote(r.baselineName()),
              json(r.relative()),
              json(r.beam()),
              json(r.relativeToBeam()),
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

  /**
   * A horizontal bar per scenario: Weft relative to its baseline and, where measured, to the BEAM
   * (the line at 1.0 is "as good"). Bars are cut at 4x; the label tells the figure.
   */
  static BufferedImage chart(List<Result> results, String context) {
    boolean beam = results.stream().anyMatch(Result::hasBeam);
    int bar = 18;
    int rowHeight = beam ? 2 * bar + 20 : bar + 26;
    int width = 900;
    int left = 260;
    int right = 90;
    int top = beam ? 90 : 70;
    int height = top + rowHeight * results.size() + 50;
    double max =
        Math.min(
            4,
            Math.max(
                1.5,
                results.stream()
                    .flatMapToDouble(
                        r -> java.util.stream.DoubleStream.of(r.relative(), r.relativeToBeam()))
                    .filter(v -> !Double.isNaN(v))
                    .max()
                    .orElse(1)));
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.DARK_GRAY);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString("Weft relative to its baselines (1.0 = as good; higher is better)", 20, 28);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawString(context, 20, 50);
    Color vsBase = new Color(60, 140, 80);
    Color vsBeam = new Color(70, 100, 180);
    if (beam) {
      g.setColor(vsBase);
      g.fillRect(20, 62, 12, 12);
      g.setColor(Color.DARK_GRAY);
      g.drawString("vs the bare-JDK baseline", 38, 73);
      g.setColor(vsBeam);
      g.fillRect(220, 62, 12, 12);
      g.setColor(Color.DARK_GRAY);
      g.drawString("vs the BEAM (Erlang/OTP)", 238, 73);
    }
    double scale = (width - left - right) / max;
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      int y = top + i * rowHeight;
      g.setColor(Color.DARK_GRAY);
      g.drawString(r.scenario(), 20, y + 22);
      drawBar(g, r.relative(), left, y + 8, bar, scale, max, vsBase);
      if (beam && r.hasBeam()) {
        drawBar(g, r.relativeToBeam(), left, y + 10 + bar, bar, scale, max, vsBeam);
      }
    }
    int one = left + (int) Math.round(scale);
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(2f));
    g.drawLine(one, top - 4, one, top + rowHeight * results.size());
    g.drawString("1.0", one - 8, top + rowHeight * results.size() + 18);
    g.dispose();
    return img;
  }

  private static void drawBar(
      Graphics2D g, double value, int x, int y, int h, double scale, double max, Color color) {
    if (Double.isNaN(value)) {
      return;
    }
    int w = (int) Math.round(Math.min(value, max) * scale);
    g.setColor(color); // worse than the baseline: shorter than the 1.0 line
    g.fillRect(x, y, Math.max(1, w), h);
    g.setColor(Color.DARK_GRAY);
    String label =
        Double.isInfinite(value) ? "baseline: none" : String.format(Locale.ROOT, "%.2f", value);
    g.drawString(label, x + w + 6, y + h - 4);
  }
}
