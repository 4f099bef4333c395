package weft.web.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A minimal HTTP/1.1 client over a plain socket, for edge cases a real client hides. */
final class RawHttp implements AutoCloseable {

  record Reply(int status, Map<String, String> headers, String body) {}

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawHttp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  void send(String raw) throws IOException {
    out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Reads one response (content-length or chunked bodies). */
  Reply read() throws IOException {
    return read(false);
  }

  /** Reads one response; a response to HEAD has no body whatever its headers say. */
  Reply read(boolean head) throws IOException {
    String statusLine = line();
    if (statusLine == null) {
      return null;
    }
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    String l;
    while (!(l = line()).isEmpty()) {
      int c = l.indexOf(':');
      headers.put(l.substring(0, c).trim().toLowerCase(Locale.ROOT), l.substring(c + 1).trim());
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (head) {
      return new Reply(status, headers, "");
    }
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      while (true) {
        int size = Integer.parseInt(line().trim(), 16);
        if (size == 0) {
          line();
          break;
        }
        body.write(in.readNBytes(size));
        line();
      }
    } else if (headers.containsKey("content-length")) {
      body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
    }
    return new Reply(status, headers, body.toString(StandardCharsets.UTF_8));
  }

  /** True when the server has closed the connection (read returns end of stream). */
  boolean closedByServer() throws IOException {
    return in.read() == -1;
  }

  private String line() throws IOException {
    StringBuilder sb = new StringBuilder();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        int n = sb.length();
        return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
      }
      sb.append((char) b);
    }
    return sb.isEmpty() ? null : sb.toString();
  }

  static List<String> lines(String s) {
    return new ArrayList<>(List.of(s.split("\n")));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
