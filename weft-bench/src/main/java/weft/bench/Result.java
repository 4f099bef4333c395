package weft.bench;

/**
 * One benchmark outcome: Weft's figure beside a baseline's, measured in the same run.
 *
 * @param scenario what was measured
 * @param unit the unit of both figures
 * @param higherIsBetter whether a larger figure is better (throughput) or worse (memory, latency)
 * @param weft Weft's figure (median of the rounds)
 * @param baseline the baseline's figure (median of the rounds)
 * @param baselineName what the baseline is
 */
public record Result(
    String scenario,
    String unit,
    boolean higherIsBetter,
    double weft,
    double baseline,
    String baselineName) {

  /**
   * Weft's figure relative to the baseline, oriented so that 1.0 means "as good as the baseline"
   * and less means worse.
   *
   * @return the ratio
   */
  public double relative() {
    return higherIsBetter ? weft / baseline : baseline / weft;
  }
}
