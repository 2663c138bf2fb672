package io.braid.pubsub.broker;

import io.braid.pubsub.topic.TopicFilter;

/**
 * The broker's view of one client connection: where a session sends its deliveries. The server implements it over
 * a WebSocket connection; tests implement it in memory.
 *
 * <p>Deliveries travel per subscription: each {@link OutboundPublish} and PUBREL names the subscription it travels
 * for, and the link says per subscription whether it can take more, so that a subscription whose channel is
 * stalled (out of flow-control credit, or not yet reattached after a reconnect) holds back only its own messages.
 *
 * <p>The broker calls {@link #writable}, {@link #sendPublish} and {@link #sendPubRel} only on the session's
 * executor, which is the executor given to {@link Broker#connect} while the link is attached. {@link #close} may be
 * called from any thread.
 */
public interface ClientLink {

  /**
   * Whether the link can take another PUBLISH or PUBREL for {@code subscription} now (its channel's credit and the
   * connection's write buffer). While it returns false the session keeps that subscription's messages queued until
   * the server calls {@link SessionHandle#resume()}.
   */
  boolean writable(TopicFilter subscription);

  /**
   * Sends a PUBLISH to the client; returns false if the client cannot take this message at all (it is larger than
   * the client accepts). The session then treats it as delivered, without sending it [MQTT-3.1.2-25], and reports
   * it as dropped with the subscription's next delivery.
   */
  boolean sendPublish(OutboundPublish publish);

  /** Sends PUBREL for an outbound QoS 2 message whose PUBREC arrived (or, after a reconnect, again). */
  void sendPubRel(TopicFilter subscription, int packetId);

  /** Closes the connection with {@code cause} (e.g. session taken over). May be called from any thread. */
  void close(DisconnectCause cause);
}
