package io.braid.server.cli;

import io.braid.server.auth.PasswordHash;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code braid-server passwd FILE USER}: adds or replaces a user in a users file, with a PBKDF2-SHA512 hash in
 * Mosquitto's format (so {@code mosquitto_passwd} and Braid read each other's files). The password is read from
 * standard input (its first line), never from the command line, where other users of the machine could see it.
 */
@Command(name = "passwd", mixinStandardHelpOptions = true,
    description = "Adds or replaces USER in the users FILE; reads the password from standard input.")
final class PasswdCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "The users file (created if missing).")
  Path file;

  @Parameters(index = "1", paramLabel = "USER", description = "The user name.")
  String user;

  @Option(names = "--iterations", description = "PBKDF2 iterations (default: ${DEFAULT-VALUE}).")
  int iterations = PasswordHash.DEFAULT_ITERATIONS;

  @Option(names = {"-D", "--delete"}, description = "Deletes USER instead.")
  boolean delete;

  @Override
  public Integer call() throws Exception {
    if (user.isEmpty() || user.contains(":")) {
      System.err.println("passwd: a user name must be non-empty and must not contain ':'");
      return 2;
    }
    List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : new ArrayList<>();
    List<String> kept = new ArrayList<>();
    for (String line : lines) {
      if (!line.startsWith(user + ":")) {
        kept.add(line);
      }
    }
    if (!delete) {
      BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String password = stdin.readLine();
      if (password == null || password.isEmpty()) {
        System.err.println("passwd: no password on standard input");
        return 2;
      }
      kept.add(user + ":" + PasswordHash.create(password, iterations).encoded());
    }
    Files.write(file, kept, StandardCharsets.UTF_8);
    return 0;
  }
}
