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
