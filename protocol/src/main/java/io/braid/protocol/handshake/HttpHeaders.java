package io.braid.protocol.handshake;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Header fields of an HTTP/1.1 head in arrival order, looked up case-insensitively (RFC 9110
 * §5.1). Immutable once built by the parser.
 */
public final class HttpHeaders {
  private final List<String> names;
  private final List<String> values;

  HttpHeaders(List<String> names, List<String> values) {
    this.names = Collections.unmodifiableList(names);
    this.values = Collections.unmodifiableList(values);
  }

  public static HttpHeaders empty() {
    return new HttpHeaders(new ArrayList<>(), new ArrayList<>());
  }

  public int size() {
    return names.size();
  }

  /** The first value of {@code name}, or null. */
  public String get(String name) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(name)) {
        return values.get(i);
      }
    }
    return null;
  }

  /** Every value of {@code name}, in order. */
  public List<String> getAll(String name) {
    List<String> all = new ArrayList<>(1);
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(name)) {
        all.add(values.get(i));
      }
    }
    return all;
  }

  /** The comma-separated elements of every {@code name} field, trimmed, empty ones dropped. */
  public List<String> tokens(String name) {
    List<String> tokens = new ArrayList<>(2);
    for (String value : getAll(name)) {
      for (String element : value.split(",")) {
        String trimmed = element.trim();
        if (!trimmed.isEmpty()) {
          tokens.add(trimmed);
        }
      }
    }
    return tokens;
  }

  /** Whether some comma-separated element of {@code name} equals {@code token}, ignoring case. */
  public boolean containsToken(String name, String token) {
    String wanted = token.toLowerCase(Locale.ROOT);
    for (String t : tokens(name)) {
      if (t.toLowerCase(Locale.ROOT).equals(wanted)) {
        return true;
      }
    }
    return false;
  }

  public List<String> names() {
    return names;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      sb.append(names.get(i)).append(": ").append(values.get(i)).append("\r\n");
    }
    return sb.toString();
  }
}
