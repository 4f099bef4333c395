package weft.web.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Serves files from a directory, for a route ending in {@code *path}:
 *
 * {@snippet :
 * Router.builder().get("/assets/*path", StaticFiles.serve(Path.of("public"))).build();
 * }
 *
 * <p>Each response has a content type from the file name, an {@code etag} and a {@code
 * last-modified}; a request whose {@code if-none-match} or {@code if-modified-since} shows the
 * client's copy is current gets 304 with no body. A directory (or an empty path) serves its {@code
 * index.html}. Nothing outside the directory is ever served: {@code ..} segments, encoded or not,
 * and links leading outside give 404, as do missing files. Compression is the server's (gzip when
 * the client accepts it).
 *
 * <p>{@link #resources(String)} serves files packaged on the class path the same way (for assets
 * inside a jar, such as the Phoenix client of {@code weft-phoenix-js}); each is read once and kept.
 */
public final class StaticFiles {

  private static final long IN_MEMORY_LIMIT = 1 << 20;
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("htm", "text/html; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("map", "application/json"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("webp", "image/webp"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("woff", "font/woff"),
          Map.entry("woff2", "font/woff2"),
          Map.entry("wasm", "application/wasm"),
          Map.entry("pdf", "application/pdf"));

  private StaticFiles() {}

  /**
   * A handler serving the directory; the route's {@code *path} parameter names the file.
   *
   * @param directory the directory
   * @return the handler
   * @throws IllegalArgumentException if the directory does not exist
   */
  public static Handler serve(Path directory) {
    Objects.requireNonNull(directory, "directory");
    Path root;
    try {
      root = directory.toRealPath();
    } catch (IOException e) {
      throw new IllegalArgumentException("static directory " + directory + " does not exist", e);
    }
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException(directory + " is not a directory");
    }
    return req -> serve(root, req);
  }

  /**
   * A handler serving class-path resources under a root (such as {@code "weft/js"}); the route's
   * {@code *path} parameter names the resource. Resources are immutable, so each is read once, kept
   * in memory and given an etag from its content; a missing one is a 404.
   *
   * @param root the resource folder, without leading or trailing {@code /}
   * @return the handler
   */
  public static Handler resources(String root) {
    Objects.requireNonNull(root, "root");
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    ClassLoader from = loader != null ? loader : StaticFiles.class.getClassLoader();
    Map<String, Resource> cache = new java.util.concurrent.ConcurrentHashMap<>();
    return req -> {
      String rel = safeRelative(req);
      Resource r = cache.get(rel);
      if (r == null) {
        r = Resource.load(from, root + "/" + rel);
        if (r == Resource.MISSING) {
          throw HttpError.notFound("not found"); // misses are not kept: any path may be asked
        }
        cache.put(rel, r);
      }
      String etag = r.etag();
      if (req.header("if-none-match").map(h -> h.contains(etag)).orElse(false)) {
        return Response.status(304).withHeader("etag", etag);
      }
      return Response.bytes(r.bytes(), r.type())
          .withHeader("etag", etag)
          .withHeader("cache-control", "no-cache");
    };
  }

  private record Resource(byte[] bytes, String type, String etag) {
    static final Resource MISSING = new Resource(new byte[0], "", "");

    static Resource load(ClassLoader loader, String name) {
      if (name.endsWith("/")) {
        return MISSING;
      }
      java.net.URL url = loader.getResource(name);
      if (url == null || isDirectory(url)) {
        return MISSING;
      }
      try (InputStream in = url.openStream()) {
        byte[] bytes = in.readAllBytes();
        String etag = "\"" + Integer.toHexString(java.util.Arrays.hashCode(bytes)) + "\"";
        return new Resource(bytes, typeOf(name), etag);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot read resource " + name, e);
      }
    }
  }

  private static boolean isDirectory(java.net.URL url) {
    if (url.getProtocol().equals("file")) {
      try {
        return Files.isDirectory(Path.of(url.toURI()));
      } catch (java.net.URISyntaxException e) {
        return true;
      }
    }
    return url.getPath().endsWith("/");
  }

  private static String safeRelative(Request req) {
    String rel = req.pathParams().getOrDefault("path", "");
    if (rel.indexOf('\0') >= 0 || rel.indexOf('\\') >= 0) {
      throw HttpError.notFound("not found");
    }
    for (String segment : rel.split("/")) {
      if (segment.equals("..") || segment.equals(".")) {
        throw HttpError.notFound("not found");
      }
    }
    return rel;
  }

  private static Response serve(Path root, Request req) throws IOException {
    String rel = safeRelative(req);
    Path file = root.resolve(rel).normalize();
    try {
      file = file.toRealPath();
      if (Files.isDirectory(file)) {
        file = file.resolve("index.html").toRealPath();
      }
    } catch (NoSuchFileException e) {
      throw HttpError.notFound("not found");
    }
    if (!file.startsWith(root) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw HttpError.notFound("not found");
    }
    BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
    long size = attrs.size();
    Instant modified =
        attrs.lastModifiedTime().toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String etag =
        "W/\"" + Long.toHexString(size) + "-" + Long.toHexString(modified.getEpochSecond()) + "\"";
    String lastModified = HTTP_DATE.format(ZonedDateTime.ofInstant(modified, ZoneOffset.UTC));
    if (notModified(req, etag, modified)) {
      return Response.status(304)
          .withHeader("etag", etag)
          .withHeader("last-modified", lastModified);
    }
    String type = contentType(file);
    Response response;
    if (size <= IN_MEMORY_LIMIT) {
      response = Response.bytes(Files.readAllBytes(file), type);
    } else {
      Path f = file;
      response =
          Response.stream(
              type,
              sink -> {
                try (InputStream in = Files.newInputStream(f)) {
                  byte[] buf = new byte[64 * 1024];
                  int n;
                  while ((n = in.read(buf)) > 0) {
                    sink.write(java.util.Arrays.copyOf(buf, n));
                  }
                }
              });
    }
    return response
        .withHeader("etag", etag)
        .withHeader("last-modified", lastModified)
        .withHeader("cache-control", "no-cache");
  }

  private static boolean notModified(Request req, String etag, Instant modified) {
    var ifNoneMatch = req.header("if-none-match");
    if (ifNoneMatch.isPresent()) {
      for (String tag : ifNoneMatch.get().split(",")) {
        String t = tag.trim();
        if (t.equals("*") || t.equals(etag) || ("W/" + t).equals(etag)) {
          return true;
        }
      }
      return false;
    }
    var since = req.header("if-modified-since");
    if (since.isPresent()) {
      try {
        Instant client = ZonedDateTime.parse(since.get(), HTTP_DATE).toInstant();
        return !modified.isAfter(client);
      } catch (DateTimeParseException e) {
        return false;
      }
    }
    return false;
  }

  static String contentType(Path file) throws IOException {
    String type = typeOf(file.getFileName().toString());
    if (!type.equals(OCTETS)) {
      return type;
    }
    String probed = Files.probeContentType(file);
    return probed != null ? probed : OCTETS;
  }

  private static final String OCTETS = "application/octet-stream";

  private static String typeOf(String name) {
    int dot = name.lastIndexOf('.');
    if (dot >= 0) {
      String type = TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
      if (type != null) {
        return type;
      }
    }
    return OCTETS;
  }
}
