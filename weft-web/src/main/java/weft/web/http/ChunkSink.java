package weft.web.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Where a streaming response writes its chunks. Each {@link #write} sends one HTTP chunk and waits
 * until the connection has taken it, so a slow client slows the writer instead of growing the heap.
 */
public interface ChunkSink {

  /**
   * Sends bytes as one chunk.
   *
   * @param bytes the bytes
   * @throws IOException if the connection is closed
   */
  void write(byte[] bytes) throws IOException;

  /**
   * Sends text (UTF-8) as one chunk.
   *
   * @param text the text
   * @throws IOException if the connection is closed
   */
  default void write(String text) throws IOException {
    write(text.getBytes(StandardCharsets.UTF_8));
  }
}
