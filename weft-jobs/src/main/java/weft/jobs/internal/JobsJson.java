package weft.jobs.internal;

import tools.jackson.databind.json.JsonMapper;

/** The JSON mapper for job arguments and errors. */
public final class JobsJson {

  /** The mapper (thread-safe). */
  public static final JsonMapper MAPPER = JsonMapper.builder().build();

  private JobsJson() {}

  /**
   * JSON text with object keys sorted at every level, so equal values give equal text.
   *
   * @param node the value
   * @return the canonical text
   */
  public static String canonical(tools.jackson.databind.JsonNode node) {
    return MAPPER.writeValueAsString(sorted(node));
  }

  /**
   * The key equal unique jobs share: a digest of worker, queue and canonical arguments.
   *
   * @param spec the job
   * @return hex SHA-256
   */
  public static String uniqueKey(weft.jobs.JobSpec spec) {
    try {
      var digest = java.security.MessageDigest.getInstance("SHA-256");
      String text = spec.worker() + "\n" + spec.queue() + "\n" + canonical(spec.args());
      return java.util.HexFormat.of()
          .formatHex(digest.digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A job's errors with one more entry ({@code attempt}, {@code at}, {@code error}).
   *
   * @param errors the errors so far (an array; anything else counts as none)
   * @param attempt the attempt that failed
   * @param error what went wrong
   * @param at when
   * @return the new errors, as an array
   */
  public static tools.jackson.databind.node.ArrayNode withErrorNode(
      tools.jackson.databind.JsonNode errors, int attempt, String error, java.time.Instant at) {
    var out =
        errors instanceof tools.jackson.databind.node.ArrayNode a
            ? a.deepCopy()
            : MAPPER.createArrayNode();
    out.addObject().put("attempt", attempt).put("at", at.toString()).put("error", error);
    return out;
  }

  /**
   * As {@link #withErrorNode}, as JSON text.
   *
   * @param errors the errors so far
   * @param attempt the attempt that failed
   * @param error what went wrong
   * @param at when
   * @return the new errors, as JSON text
   */
  public static String withError(
      tools.jackson.databind.JsonNode errors, int attempt, String error, java.time.Instant at) {
    return MAPPER.writeValueAsString(withErrorNode(errors, attempt, error, at));
  }

  private static tools.jackson.databind.JsonNode sorted(tools.jackson.databind.JsonNode node) {
    if (node.isObject()) {
      var out = MAPPER.createObjectNode();
      new java.util.TreeSet<>(node.propertyNames()).forEach(k -> out.set(k, sorted(node.get(k))));
      return out;
    }
    if (node.isArray()) {
      var out = MAPPER.createArrayNode();
      node.forEach(e -> out.add(sorted(e)));
      return out;
    }
    return node;
  }
}
