package io.braid.protocol.ws.deflate;

import java.util.List;

/**
 * Negotiates permessage-deflate in the opening handshake (RFC 7692 §5, §7.1). A server declines what
 * it cannot accept by leaving the extension out of its response, never by refusing the handshake;
 * a client fails the connection when the response breaks the rules. Stateless.
 */
public final class DeflateNegotiation {
  private DeflateNegotiation() {}

  /**
   * The server's side: the response to the first acceptable permessage-deflate element in the
   * request's {@code Sec-WebSocket-Extensions} values, or null to decline.
   *
   * <p>Every valid offer is acceptable: a window limit the client asks of the server is kept (§7.1.2.1),
   * and the client's window needs no limit, since the server inflates with the largest. With
   * {@code contextTakeover} off the response adds {@code server_no_context_takeover} whatever the
   * offer (§7.1.1.1), so that no compressor outlives a message. {@code client_no_context_takeover}
   * is answered only where offered: the RFC lets a server impose it (§7.1.1.2), but Netty's client,
   * and so Vert.x's, fails the handshake on it unless told to allow it.
   *
   * @throws IllegalArgumentException when the header breaks the extension grammar (decline it)
   */
  public static DeflateParameters accept(List<String> requestValues, boolean contextTakeover) {
    for (ExtensionOffer element : ExtensionOffer.parseAll(requestValues)) {
      if (!element.name().equalsIgnoreCase(DeflateParameters.EXTENSION)) {
        continue;
      }
      DeflateParameters offer;
      try {
        offer = DeflateParameters.of(element);
      } catch (IllegalArgumentException invalid) {
        continue; // §7: decline this element, try the next
      }
      return new DeflateParameters(
          offer.serverNoContextTakeover() || !contextTakeover,
          offer.clientNoContextTakeover(),
          offer.serverMaxWindowBits(),
          DeflateParameters.NOT_STATED);
    }
    return null;
  }

  /**
   * The client's side: what the server's {@code Sec-WebSocket-Extensions} values agree to, given the
   * client's {@code offer}.
   *
   * @throws IllegalArgumentException naming the rule the response breaks (fail the connection)
   */
  public static DeflateParameters agree(List<String> responseValues, DeflateParameters offer) {
    List<ExtensionOffer> elements = ExtensionOffer.parseAll(responseValues);
    if (elements.size() != 1 || !elements.get(0).name().equalsIgnoreCase(DeflateParameters.EXTENSION)) {
      throw new IllegalArgumentException("server selected extensions that were not offered: " + responseValues);
    }
    DeflateParameters agreed = DeflateParameters.of(elements.get(0));
    int clientBits = agreed.clientMaxWindowBits();
    if (clientBits == DeflateParameters.NO_VALUE) {
      throw new IllegalArgumentException("client_max_window_bits in a response needs a value");
    }
    if (clientBits != DeflateParameters.NOT_STATED) {
      if (offer.clientMaxWindowBits() == DeflateParameters.NOT_STATED) {
        throw new IllegalArgumentException("client_max_window_bits was not offered");
      }
      if (offer.clientMaxWindowBits() > 0 && clientBits > offer.clientMaxWindowBits()) {
        throw new IllegalArgumentException("client_max_window_bits " + clientBits + " exceeds the offered " + offer.clientMaxWindowBits());
      }
    }
    if (offer.serverNoContextTakeover() && !agreed.serverNoContextTakeover()) {
      throw new IllegalArgumentException("server_no_context_takeover was requested but not agreed");
    }
    int serverBits = agreed.serverMaxWindowBits();
    if (offer.serverMaxWindowBits() != DeflateParameters.NOT_STATED
        && (serverBits == DeflateParameters.NOT_STATED || serverBits > offer.serverMaxWindowBits())) {
      throw new IllegalArgumentException("server_max_window_bits " + offer.serverMaxWindowBits() + " was requested but not agreed");
    }
    return agreed;
  }
}
