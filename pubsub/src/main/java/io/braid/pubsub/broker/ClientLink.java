package io.braid.pubsub.broker;

/**
 * The broker's view of one client connection: where a session sends its deliveries. The server implements it over
 * a WebSocket connection; tests implement it in memory.
 *
 * <p>The broker calls {@link #writable}, {@link #sendPublish} and {@link #sendPubRel} only on the session's
 * executor, which is the executor given to {@link Broker#connect} while the link is attached. {@link #close} may be
 * called from any thread.
 */
public interface ClientLink {

  /**
   * Whether the link can take another PUBLISH now (its transport credit and write buffer). When it returns false
   * the session keeps its messages queued until the server calls {@link SessionHandle#resume()}.
   */
  boolean writable();

  /** Sends a PUBLISH to the client. */
  void sendPublish(OutboundPublish publish);

  /** Sends PUBREL for an outbound QoS 2 message whose PUBREC arrived (or, after reconnect, again). */
  void sendPubRel(int packetId);

  /** Closes the connection with {@code cause} (e.g. session taken over). May be called from any thread. */
  void close(DisconnectCause cause);
}
