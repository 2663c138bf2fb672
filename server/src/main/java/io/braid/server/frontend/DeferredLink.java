package io.braid.server.frontend;

import io.braid.pubsub.broker.ClientLink;
import io.braid.pubsub.broker.DisconnectCause;
import io.braid.pubsub.broker.OutboundPublish;
import io.braid.pubsub.topic.TopicFilter;
import java.util.function.Consumer;

/**
 * The session's link to a connection from the moment the session is attached, before the connection's parts exist
 * (they are built at CONNACK from the connected client): until {@link #connect} it takes no message (the session is
 * not started before CONNACK anyway), and a takeover that comes meanwhile reaches the connection through
 * {@code close}. Confined to the connection's thread but for {@link #close}, which may come from any thread.
 */
public final class DeferredLink implements ClientLink {

  private final Consumer<DisconnectCause> close;
  private DeliveryTarget target;

  public DeferredLink(Consumer<DisconnectCause> close) {
    this.close = close;
  }

  /** From now on the session talks to {@code target}. */
  public void connect(DeliveryTarget target) {
    this.target = target;
  }

  @Override
  public boolean writable(TopicFilter subscription) {
    return target != null && target.writable(subscription);
  }

  @Override
  public boolean sendPublish(OutboundPublish publish) {
    return target == null || target.sendPublish(publish);
  }

  @Override
  public void sendPubRel(TopicFilter subscription, int packetId) {
    if (target != null) {
      target.sendPubRel(subscription, packetId);
    }
  }

  @Override
  public void close(DisconnectCause cause) {
    close.accept(cause);
  }
}
