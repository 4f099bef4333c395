package weft.web.http;

/** The HTTP methods the router routes. */
public enum Method {
  /** GET. */
  GET,
  /** HEAD: answered by the GET route, without the body, unless a HEAD route exists. */
  HEAD,
  /** POST. */
  POST,
  /** PUT. */
  PUT,
  /** PATCH. */
  PATCH,
  /** DELETE. */
  DELETE,
  /** OPTIONS. */
  OPTIONS
}
