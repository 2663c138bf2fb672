package io.braid.server;

import io.braid.server.config.ConfigException;
import io.braid.server.websocket.StaticFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads {@code server.webRoot}: a directory, or {@code classpath:<prefix>} listed by {@code <prefix>files.txt}. */
final class WebRoot {
  static final String CLASSPATH = "classpath:";

  private WebRoot() {}

  /** The files to serve, or null for an empty setting. */
  static StaticFiles load(String webRoot) {
    if (webRoot.isEmpty()) {
      return null;
    }
    if (!webRoot.startsWith(CLASSPATH)) {
      Path directory = Path.of(webRoot);
      if (!Files.isDirectory(directory)) {
        throw new ConfigException("server.webRoot", "not a directory: " + webRoot);
      }
      return StaticFiles.fromDirectory(directory);
    }
    String prefix = webRoot.substring(CLASSPATH.length());
    ClassLoader loader = WebRoot.class.getClassLoader();
    try (InputStream index = loader.getResourceAsStream(prefix + "files.txt")) {
      if (index == null) {
        throw new ConfigException("server.webRoot", "no class path resource " + prefix + "files.txt listing the files");
      }
      List<String> names = new String(index.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#")).map(name -> "/" + name).toList();
      return StaticFiles.fromClassPath(loader, prefix, names);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
