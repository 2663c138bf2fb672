package io.braid.protocol.ws.deflate;

import io.braid.protocol.codec.Role;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The four parameters of one permessage-deflate element (RFC 7692 §7.1), as a client offers them or
 * as a server's response fixes them. Immutable.
 *
 * @param serverNoContextTakeover the server resets its compressor after each message
 * @param clientNoContextTakeover the client resets its compressor after each message
 * @param serverMaxWindowBits 8-15, the server's LZ77 window; {@link #NOT_STATED} when absent (15)
 * @param clientMaxWindowBits 8-15, the client's LZ77 window; {@link #NOT_STATED} when absent (15),
 *     or, in an offer only, {@link #NO_VALUE}: the client can take a limit from the server
 */
public record DeflateParameters(
    boolean serverNoContextTakeover, boolean clientNoContextTakeover, int serverMaxWindowBits, int clientMaxWindowBits) {
  public static final String EXTENSION = "permessage-deflate";
  public static final int NOT_STATED = 0;
  public static final int NO_VALUE = -1;
  public static final int MIN_WINDOW_BITS = 8;
  public static final int MAX_WINDOW_BITS = 15;

  static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
  static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
  static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
  static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";

  /** What browsers offer: {@code permessage-deflate; client_max_window_bits}. */
  public static final DeflateParameters BROWSER_OFFER = new DeflateParameters(false, false, NOT_STATED, NO_VALUE);

  public DeflateParameters {
    if (serverMaxWindowBits != NOT_STATED && !isWindowBits(serverMaxWindowBits)) {
      throw new IllegalArgumentException(SERVER_MAX_WINDOW_BITS + " must be 8-15, was " + serverMaxWindowBits);
    }
    if (clientMaxWindowBits != NOT_STATED && clientMaxWindowBits != NO_VALUE && !isWindowBits(clientMaxWindowBits)) {
      throw new IllegalArgumentException(CLIENT_MAX_WINDOW_BITS + " must be 8-15, was " + clientMaxWindowBits);
    }
  }

  /**
   * The parameters of one element named {@code permessage-deflate}.
   *
   * @throws IllegalArgumentException for an unknown or repeated parameter, or an invalid value
   *     (§7: such an offer is declined, such a response fails the connection)
   */
  public static DeflateParameters of(ExtensionOffer element) {
    if (!element.name().equalsIgnoreCase(EXTENSION)) {
      throw new IllegalArgumentException("not " + EXTENSION + ": " + element.name());
    }
    boolean serverNoTakeover = false;
    boolean clientNoTakeover = false;
    int serverBits = NOT_STATED;
    int clientBits = NOT_STATED;
    Set<String> seen = new HashSet<>();
    for (ExtensionOffer.Param p : element.params()) {
      String name = p.name().toLowerCase(Locale.ROOT);
      if (!seen.add(name)) {
        throw new IllegalArgumentException("repeated parameter " + name);
      }
      switch (name) {
        case SERVER_NO_CONTEXT_TAKEOVER -> serverNoTakeover = flag(p);
        case CLIENT_NO_CONTEXT_TAKEOVER -> clientNoTakeover = flag(p);
        case SERVER_MAX_WINDOW_BITS -> serverBits = windowBits(p);
        case CLIENT_MAX_WINDOW_BITS -> clientBits = p.value() == null ? NO_VALUE : windowBits(p);
        default -> throw new IllegalArgumentException("unknown parameter " + name);
      }
    }
    return new DeflateParameters(serverNoTakeover, clientNoTakeover, serverBits, clientBits);
  }

  private static boolean flag(ExtensionOffer.Param p) {
    if (p.value() != null) {
      throw new IllegalArgumentException(p.name() + " takes no value");
    }
    return true;
  }

  /** 1*DIGIT without a leading zero, 8 to 15 (§7.1.2). */
  private static int windowBits(ExtensionOffer.Param p) {
    String v = p.value();
    if (v == null || !v.matches("[1-9][0-9]?") || !isWindowBits(Integer.parseInt(v))) {
      throw new IllegalArgumentException(p.name() + " must be 8-15, was " + v);
    }
    return Integer.parseInt(v);
  }

  private static boolean isWindowBits(int bits) {
    return bits >= MIN_WINDOW_BITS && bits <= MAX_WINDOW_BITS;
  }

  /** Whether the side in {@code sender} resets its compressor after every message. */
  public boolean noContextTakeover(Role sender) {
    return sender == Role.SERVER ? serverNoContextTakeover : clientNoContextTakeover;
  }

  /** The LZ77 window the side in {@code sender} may compress with, in bits. */
  public int windowBits(Role sender) {
    int bits = sender == Role.SERVER ? serverMaxWindowBits : clientMaxWindowBits;
    return bits > 0 ? bits : MAX_WINDOW_BITS;
  }

  /** The element as it goes in a {@code Sec-WebSocket-Extensions} header. */
  public String headerValue() {
    StringBuilder sb = new StringBuilder(EXTENSION);
    if (serverNoContextTakeover) {
      sb.append("; ").append(SERVER_NO_CONTEXT_TAKEOVER);
    }
    if (clientNoContextTakeover) {
      sb.append("; ").append(CLIENT_NO_CONTEXT_TAKEOVER);
    }
    if (serverMaxWindowBits != NOT_STATED) {
      sb.append("; ").append(SERVER_MAX_WINDOW_BITS).append('=').append(serverMaxWindowBits);
    }
    if (clientMaxWindowBits == NO_VALUE) {
      sb.append("; ").append(CLIENT_MAX_WINDOW_BITS);
    } else if (clientMaxWindowBits != NOT_STATED) {
      sb.append("; ").append(CLIENT_MAX_WINDOW_BITS).append('=').append(clientMaxWindowBits);
    }
    return sb.toString();
  }
}
