/**
 * A Java client for servers that speak the Phoenix channel protocol ({@link weft.client}): Weft, or
 * Phoenix itself.
 */
module weft.client {
  // Frames are read and written with weft-web's V2 serializer; payloads are Jackson trees.
  requires transitive weft.web;
  requires transitive tools.jackson.databind;
  // The client takes a java.net.http.HttpClient to share.
  requires transitive java.net.http;
  requires org.slf4j;

  exports weft.client;
}
