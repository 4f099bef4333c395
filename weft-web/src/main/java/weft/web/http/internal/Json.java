package weft.web.http.internal;

import tools.jackson.databind.json.JsonMapper;

/** The JSON mapper shared by the web layer (Jackson; thread-safe once built). */
public final class Json {

  /** The mapper. */
  public static final JsonMapper MAPPER = JsonMapper.builder().build();

  private Json() {}
}
