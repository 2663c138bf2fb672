package io.braid.protocol.handshake;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser origins may open a WebSocket (RFC 6455 §4.2.2 step 4, §10.2). Requests without an
 * {@code Origin} header come from non-browser clients and are always allowed: the header protects
 * users' browsers, not the server.
 */
public final class OriginPolicy {
  private final Set<String> allowed;

  private OriginPolicy(Set<String> allowed) {
    this.allowed = allowed;
  }

  /** Allows every origin. */
  public static OriginPolicy any() {
    return new OriginPolicy(null);
  }

  /** Allows only the listed origins, e.g. {@code https://chat.example.com}; compared ignoring case. */
  public static OriginPolicy allowList(List<String> origins) {
    return new OriginPolicy(origins.stream().map(o -> o.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet()));
  }

  /** Whether a handshake carrying {@code origin} (null when absent) may proceed. */
  public boolean allows(String origin) {
    return allowed == null || origin == null || allowed.contains(origin.toLowerCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return allowed == null ? "any" : String.join(",", allowed);
  }
}
