package io.braid.server.websocket;

import io.braid.protocol.handshake.HttpRequestHead;
import io.braid.protocol.handshake.HttpStatus;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A web page's files, served over plain HTTP on the WebSocket port to requests that are not WebSocket upgrades (so
 * that a browser opens {@code http://host:port/} and the page's script connects to {@code ws://host:port/braid}).
 * Every file is read into memory at start-up and looked up by exact path: nothing a request says reaches the file
 * system, so no path can climb out of the web root. {@code /} is {@code /index.html}. GET and HEAD only; every
 * response closes its connection and says {@code nosniff}. Immutable; thread safe.
 */
public final class StaticFiles {

  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "mjs",
      "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "json", "application/json",
      "png", "image/png", "svg", "image/svg+xml", "ico", "image/x-icon", "txt", "text/plain; charset=utf-8");

  private record File(byte[] content, String type) {
  }

  private final Map<String, File> files;

  private StaticFiles(Map<String, File> files) {
    this.files = Map.copyOf(files);
  }

  /** The files under {@code directory}, by their path below it. */
  public static StaticFiles fromDirectory(Path directory) {
    Map<String, File> files = new HashMap<>();
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.filter(Files::isRegularFile).toList()) {
        String name = "/" + directory.relativize(path).toString().replace('\\', '/');
        files.put(name, new File(Files.readAllBytes(path), typeOf(name)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the web root " + directory, e);
    }
    return new StaticFiles(files);
  }

  /** The class path resources {@code prefix + name} for each of {@code names} (paths like {@code /index.html}). */
  public static StaticFiles fromClassPath(ClassLoader loader, String prefix, List<String> names) {
    Map<String, File> files = new HashMap<>();
    for (String name : names) {
      try (InputStream in = loader.getResourceAsStream(prefix + name.substring(1))) {
        if (in == null) {
          throw new IllegalArgumentException("no class path resource " + prefix + name.substring(1));
        }
        files.put(name, new File(in.readAllBytes(), typeOf(name)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + prefix + name, e);
      }
    }
    return new StaticFiles(files);
  }

  /** How many files are served. */
  public int size() {
    return files.size();
  }

  /** The response to {@code request}: the file, or 404, or 405 for a method other than GET and HEAD. */
  Buffer respond(HttpRequestHead request) {
    String method = request.method();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return response(HttpStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
          (method + " is not served here\n").getBytes(StandardCharsets.UTF_8), "Allow: GET, HEAD\r\n", true);
    }
    String path = request.path().equals("/") ? "/index.html" : request.path();
    File file = files.get(path);
    if (file == null) {
      return response(HttpStatus.NOT_FOUND, "text/plain; charset=utf-8",
          "not found\n".getBytes(StandardCharsets.UTF_8), "", !method.equals("HEAD"));
    }
    return response(HttpStatus.OK, file.type(), file.content(), "Cache-Control: no-cache\r\n", !method.equals("HEAD"));
  }

  private static Buffer response(int status, String type, byte[] body, String extraHeaders, boolean withBody) {
    String head = "HTTP/1.1 " + status + " " + HttpStatus.reasonPhrase(status) + "\r\n"
        + "Content-Type: " + type + "\r\n"
        + "Content-Length: " + body.length + "\r\n"
        + "X-Content-Type-Options: nosniff\r\n"
        + "Referrer-Policy: no-referrer\r\n"
        + extraHeaders
        + "Connection: close\r\n\r\n";
    Buffer response = Buffer.buffer(head.getBytes(StandardCharsets.ISO_8859_1));
    return withBody ? response.appendBytes(body) : response;
  }

  private static String typeOf(String name) {
    int dot = name.lastIndexOf('.');
    String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    return type != null ? type : "application/octet-stream";
  }
}
