package weft.bench;

/**
 * One benchmark outcome: Weft's figure beside a baseline's and, where the BEAM runs the same
 * program, the BEAM's, all measured in the same run.
 *
 * @param scenario what was measured
 * @param unit the unit of every figure
 * @param higherIsBetter whether a larger figure is better (throughput) or worse (memory, latency)
 * @param weft Weft's figure (median of the rounds)
 * @param baseline the baseline's figure (median of the rounds)
 * @param baselineName what the baseline is
 * @param beam the BEAM's figure, or {@code NaN} when not measured (no {@code erl}, or no such
 *     program)
 */
public record Result(
    String scenario,
    String unit,
    boolean higherIsBetter,
    double weft,
    double baseline,
    String baselineName,
    double beam) {

  /**
   * A result without a BEAM figure.
   *
   * @param scenario what was measured
   * @param unit the unit
   * @param higherIsBetter whether larger is better
   * @param weft Weft's figure
   * @param baseline the baseline's figure
   * @param baselineName what the baseline is
   */
  public Result(
      String scenario,
      String unit,
      boolean higherIsBetter,
      double weft,
      double baseline,
      String baselineName) {
    this(scenario, unit, higherIsBetter, weft, baseline, baselineName, Double.NaN);
  }

  /**
   * Weft's figure relative to the baseline, oriented so that 1.0 means "as good as the baseline"
   * and less means worse.
   *
   * @return the ratio
   */
  public double relative() {
    return ratio(weft, baseline);
  }

  /**
   * Weft's figure relative to the BEAM's, oriented as {@link #relative()}; {@code NaN} without a
   * BEAM figure.
   *
   * @return the ratio
   */
  public double relativeToBeam() {
    return ratio(weft, beam);
  }

  /**
   * Whether the BEAM was measured.
   *
   * @return true if {@link #beam()} is a number
   */
  public boolean hasBeam() {
    return !Double.isNaN(beam);
  }

  private double ratio(double ours, double theirs) {
    if (Double.isNaN(theirs)) {
      return Double.NaN;
    }
    return higherIsBetter ? ours / theirs : theirs / ours;
  }
}
