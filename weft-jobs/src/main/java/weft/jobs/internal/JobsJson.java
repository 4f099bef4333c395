package weft.jobs.internal;

import tools.jackson.databind.json.JsonMapper;

/** The JSON mapper for job arguments and errors. */
public final class JobsJson {

  /** The mapper (thread-safe). */
  public static final JsonMapper MAPPER = JsonMapper.builder().build();

  private JobsJson() {}
}
