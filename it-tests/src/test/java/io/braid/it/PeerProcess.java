package io.braid.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an independent peer (a Python or Node.js client) to its end, with a bounded wait: stdout and stderr merged
 * into one text, a process that outlives the wait killed and reported with what it printed.
 */
final class PeerProcess {
  /** How a peer ended: its exit code and everything it printed. */
  record Result(int exitCode, String output) {}

  private PeerProcess() {}

  /**
   * @param directory the working directory, or null for this one
   * @throws AssertionError when the command cannot start ({@code missing} says what to install) or outlives the wait
   */
  static Result run(List<String> command, Path directory, long timeoutSeconds, String missing)
      throws IOException, InterruptedException {
    File output = File.createTempFile("braid-peer-", ".log");
    try {
      ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
          .redirectErrorStream(true)
          .redirectOutput(output);
      if (directory != null) {
        builder.directory(directory.toFile());
      }
      builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
      Process process;
      try {
        process = builder.start();
      } catch (IOException e) {
        throw new AssertionError(command.get(0) + " could not be started: " + missing, e);
      }
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s; output:\n"
            + Files.readString(output.toPath(), StandardCharsets.UTF_8));
      }
      return new Result(process.exitValue(), Files.readString(output.toPath(), StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(output.toPath());
    }
  }
}
