package io.braid.server.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A password file: one {@code username:hash} line per user, as {@code mosquitto_passwd} writes them (see
 * {@link PasswordHash} for the hash formats); blank lines and lines starting with {@code #} are ignored. Immutable
 * once loaded; safe for any thread.
 */
public final class UsersFile {

  /** Checked against for unknown users, so that a wrong user name costs as long as a wrong password. */
  private static final PasswordHash NOBODY = PasswordHash.create("nobody", PasswordHash.DEFAULT_ITERATIONS);

  private final Map<String, PasswordHash> users;

  private UsersFile(Map<String, PasswordHash> users) {
    this.users = Map.copyOf(users);
  }

  /** Reads and checks the file; throws {@link IllegalArgumentException} naming the file and line of a bad entry. */
  public static UsersFile load(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the users file " + file + ": " + e, e);
    }
    Map<String, PasswordHash> users = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected username:hash");
      }
      String username = line.substring(0, colon);
      try {
        if (users.put(username, PasswordHash.parse(line.substring(colon + 1))) != null) {
          throw new IllegalArgumentException("user " + username + " appears twice");
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return new UsersFile(users);
  }

  /** Whether {@code username} exists and {@code password} is theirs. Slow by design: not on an event loop. */
  public boolean verify(String username, byte[] password) {
    PasswordHash hash = users.get(username);
    if (hash == null) {
      NOBODY.matches(password);
      return false;
    }
    return hash.matches(password);
  }

  /** The number of users. */
  public int size() {
    return users.size();
  }
}
