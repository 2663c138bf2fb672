package io.braid.server.braid;

import io.braid.protocol.endpoint.SendResult;
import io.braid.protocol.endpoint.StreamEndpoint;
import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.PubAck;
import io.braid.protocol.message.PubComp;
import io.braid.protocol.message.PubRec;
import io.braid.protocol.message.PubRel;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.message.SubAck;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.message.SubscribeStart;
import io.braid.protocol.message.UnsubAck;
import io.braid.protocol.mux.StreamState;
import io.braid.pubsub.broker.OutboundPublish;
import io.braid.pubsub.broker.SessionHandle;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.server.frontend.ConnectedClient;
import io.braid.server.frontend.DeferredLink;
import io.braid.server.frontend.DeliveryTarget;
import io.braid.server.frontend.SubscribeGate;
import io.braid.server.metrics.BrokerMetrics;
import io.netty.util.collection.IntObjectHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscription streams of one connected client (PROTOCOL.md 8.2): SUBSCRIBE opens one and gets its SUBACK there,
 * the subscription's deliveries and PUBRELs go out on it under its credit, the client's acknowledgements come in on
 * it, and UNSUBSCRIBE, END_STREAM or a RESET ends it. It is where the session's deliveries go (its
 * {@link DeliveryTarget}, behind the connection's {@link DeferredLink}): a subscription is
 * writable while its stream has credit and nothing queued, and the socket has room, so one stalled subscription
 * holds back only itself.
 *
 * <p>Built at CONNACK for the connected client. Confined to the connection's event loop; the session calls the
 * {@code DeliveryTarget} methods there too.
 */
final class SubscriptionStreams implements DeliveryTarget {

  private static final Logger log = LoggerFactory.getLogger(SubscriptionStreams.class);

  /** One subscription stream. */
  private static final class SubscriptionStream {
    final int id;
    /** The subscription's filter once SUBACK granted it; null while refused, not yet granted, or ended. */
    TopicFilter filter;
    /** This side sent, or queued, END_STREAM: it sends nothing more here. */
    boolean serverEnded;
    /** The SUBACK went out: deliveries may follow it. */
    boolean acknowledged;

    SubscriptionStream(int id) {
      this.id = id;
    }
  }

  private final StreamEndpoint endpoint;
  private final ConnectedClient client;
  private final SessionHandle session;
  private final SubscribeGate gate;
  private final ConnectionControl control;
  private final BrokerMetrics metrics;
  private final BooleanSupplier socketFull;
  private final Executor loop;
  private final IntObjectHashMap<SubscriptionStream> streams = new IntObjectHashMap<>();
  private final Map<TopicFilter, SubscriptionStream> byFilter = new HashMap<>();
  private boolean open = true;

  SubscriptionStreams(StreamEndpoint endpoint, ConnectedClient client, SubscribeGate gate, ConnectionControl control,
      BrokerMetrics metrics, BooleanSupplier socketFull, Executor loop) {
    this.endpoint = endpoint;
    this.client = client;
    this.session = client.session();
    this.gate = gate;
    this.control = control;
    this.metrics = metrics;
    this.socketFull = socketFull;
    this.loop = loop;
  }

  // ------------------------------------------------------------------------------------ from the client

  /** SUBSCRIBE, which opened stream {@code id}: the SUBACK answers it; END_STREAM with it ends the stream at once. */
  void onSubscribe(int id, boolean endStream, Subscribe subscribe) {
    if (endpoint.state(id) == StreamState.CLOSED) {
      endpoint.consumed(id); // reset before the session was attached
      return;
    }
    SubscriptionStream stream = new SubscriptionStream(id);
    streams.put(id, stream);
    SubscribeGate.Verdict verdict = gate.parse(subscribe.topicFilter(), subscribe.options().noLocal());
    if (verdict instanceof SubscribeGate.Accept accepted) {
      SubscriptionStream existing = byFilter.get(accepted.filter());
      verdict = existing != null
          ? new SubscribeGate.Refuse(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, "already subscribed to "
              + accepted.filter().asString() + " on stream " + existing.id + " of this connection")
          : gate.authorize(accepted.filter());
    }
    if (verdict instanceof SubscribeGate.Refuse refused) {
      stream.serverEnded = true;
      endpoint.answer(id, new SubAck(refused.reasonCode(), control.reasonString(refused.reason()), List.of()), true);
      return;
    }
    TopicFilter filter = ((SubscribeGate.Accept) verdict).filter();
    if (subscribe.start() instanceof SubscribeStart.After && !filter.isTopicName()) {
      stream.serverEnded = true;
      endpoint.answer(id, new SubAck(ReasonCode.TOPIC_FILTER_INVALID, control.reasonString(
          "startAfter names a position of one topic: subscribe to a topic name, or start with startLast or "
              + "startSince"), List.of()), true);
      return;
    }
    stream.filter = filter;
    byFilter.put(filter, stream);
    // not writable until its SUBACK is out: the retained and history messages the subscribe queues follow it
    SessionHandle.SubscribeResult result = session.subscribe(filter, MessageMapping.toOptions(subscribe),
        HistoryMapping.toStartFrom(subscribe.start()), MessageMapping.toLimit(subscribe));
    if (result.refusal() != null) { // nothing was subscribed
      byFilter.remove(filter);
      stream.filter = null;
      stream.serverEnded = true;
      log.info("subscribe refused client_id={} filter={}: {}", client.clientId(), filter, result.refusal());
      endpoint.answer(id, new SubAck(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
          control.reasonString(result.refusal()), List.of()), true);
      return;
    }
    // a persistent session's subscription must survive a crash once acknowledged: SUBACK waits for the store
    whenStateDurable(true, failure -> {
      if (failure != null) {
        log.warn("subscription of client_id={} to {} not stored, refused: {}", client.clientId(), filter, failure);
        drop(stream);
        stream.serverEnded = true;
        endpoint.answer(id, new SubAck(ReasonCode.UNSPECIFIED_ERROR,
            control.reasonString("the subscription could not be stored"), List.of()), true);
        return;
      }
      endpoint.answer(id, new SubAck(subscribe.options().maxQos(), null, List.of(),
          HistoryMapping.toWire(result.recovery())), false);
      stream.acknowledged = true;
      session.resume();
      if (endStream) {
        end(stream); // END_STREAM on any message of a subscription's stream ends it
      }
    }, stream);
  }

  /**
   * Runs {@code then} on the loop once the session's state is durable if it {@code changed} (at once otherwise), with
   * the store's failure or null; not at all if {@code stream} or the connection ended meanwhile.
   */
  private void whenStateDurable(boolean changed, Consumer<Throwable> then, SubscriptionStream stream) {
    CompletableFuture<Void> durable = changed ? session.stateDurable() : CompletableFuture.completedFuture(null);
    durable.whenComplete((done, failure) -> loop.execute(() -> {
      if (open && streams.get(stream.id) == stream) {
        then.accept(failure);
      }
    }));
  }

  /** UNSUBSCRIBE on a subscription's stream: answered with UNSUBACK, which ends the server's side. */
  void onUnsubscribe(int id) {
    SubscriptionStream stream = streams.get(id);
    if (stream == null || stream.serverEnded) {
      endpoint.consumed(id);
      if (stream != null) {
        drop(stream); // the client's side ends: the stream closes
      }
      return;
    }
    boolean existed = drop(stream);
    stream.serverEnded = true;
    whenStateDurable(existed, failure -> {
      int code = existed ? ReasonCode.SUCCESS : ReasonCode.NO_SUBSCRIPTION_EXISTED;
      endpoint.answer(id, UnsubAck.of(failure != null ? ReasonCode.UNSPECIFIED_ERROR : code), true);
    }, stream);
  }

  /** The client's PUBACK, PUBREC or PUBCOMP for a delivery; END_STREAM with it ends the subscription. */
  void onAcknowledgement(int id, boolean endStream, BraidMessage ack) {
    endpoint.consumed(id);
    if (ack instanceof PubAck pubAck) {
      session.pubAck(pubAck.packetId());
    } else if (ack instanceof PubRec pubRec) {
      session.pubRec(pubRec.packetId(), ReasonCode.isError(pubRec.reasonCode()));
    } else if (ack instanceof PubComp pubComp) {
      session.pubComp(pubComp.packetId());
    }
    SubscriptionStream stream = streams.get(id);
    if (endStream && stream != null) {
      end(stream);
    }
  }

  /** The client ended a subscription's stream with a message other than UNSUBSCRIBE: unsubscribe, UNSUBACK. */
  private void end(SubscriptionStream stream) {
    boolean existed = drop(stream);
    if (!stream.serverEnded) {
      stream.serverEnded = true;
      endpoint.send(stream.id, UnsubAck.of(existed ? ReasonCode.SUCCESS : ReasonCode.NO_SUBSCRIPTION_EXISTED), true);
    }
  }

  /** Whether stream {@code id} is one of these subscriptions'. */
  boolean owns(int id) {
    return streams.containsKey(id);
  }

  // ------------------------------------------------------------------------------------ stream layer

  /**
   * A stream closed (both sides ended, or a RESET either way): its subscription ends, and what travels for it is
   * dropped, since nothing on a closed stream can be acknowledged.
   */
  void onStreamClosed(int id) {
    SubscriptionStream stream = streams.remove(id);
    if (stream != null) {
      drop(stream);
    }
  }

  /** Credit arrived or the socket drained: the session may send more. */
  void resume() {
    if (open) {
      session.resume();
    }
  }

  /** The connection is closing: nothing more is sent. The session keeps its subscriptions (it may be resumed). */
  void close() {
    open = false;
    streams.clear();
    byFilter.clear();
  }

  /** Unsubscribes the stream's subscription, if granted, and drops what travels for it; whether there was one. */
  private boolean drop(SubscriptionStream stream) {
    if (stream.filter == null) {
      return false;
    }
    boolean existed = session.unsubscribe(stream.filter);
    session.abandon(stream.filter);
    byFilter.remove(stream.filter);
    stream.filter = null;
    return existed;
  }

  // ------------------------------------------------------------------------------------ the session's link

  @Override
  public boolean writable(TopicFilter subscription) {
    SubscriptionStream stream = open ? byFilter.get(subscription) : null;
    return stream != null && stream.acknowledged && endpoint.canSend(stream.id) && !socketFull.getAsBoolean();
  }

  /**
   * Sends a delivery on its subscription's stream, unless it is larger than the client takes (its SETTINGS
   * {@code maxFramePayload}): such a delivery is never sent [MQTT-3.1.2-25], and the session reports it as dropped.
   */
  @Override
  public boolean sendPublish(OutboundPublish publish) {
    SubscriptionStream stream = open ? byFilter.get(publish.subscription()) : null;
    if (stream == null) {
      return true; // gone: the session learns it from the stream's end
    }
    SendResult result = endpoint.send(stream.id, MessageMapping.toPublish(publish), false);
    if (result == SendResult.TOO_LARGE) {
      metrics.limitHit("client_frame_payload");
      log.debug("delivery to client {} on stream {} not sent: larger than the client's maxFramePayload of {}",
          client.clientId(), stream.id, endpoint.peerSettings().maxFramePayload());
      return false;
    }
    return true;
  }

  @Override
  public void sendPubRel(TopicFilter subscription, int packetId) {
    SubscriptionStream stream = open ? byFilter.get(subscription) : null;
    if (stream != null) {
      endpoint.send(stream.id, PubRel.of(packetId), false);
    }
  }
}
