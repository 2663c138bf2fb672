package io.braid.client;

import io.braid.protocol.endpoint.StreamEndpoint;
import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.PubComp;
import io.braid.protocol.message.PubRel;
import io.braid.protocol.message.Publish;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.message.SubAck;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.message.SubscribeOptions;
import io.braid.protocol.message.TopicPosition;
import io.braid.protocol.message.UnsubAck;
import io.braid.protocol.message.Unsubscribe;
import io.braid.protocol.mux.ErrorCode;
import io.netty.util.collection.IntObjectHashMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The receiving half of a client session: its subscriptions, each on its own stream of the current connection and
 * reattached on every new one (with retain handling "only if new" when the broker resumed the session, so that
 * retained messages do not come twice), the deliveries routed to them, and the QoS 2 packet identifiers received and
 * not yet released, kept in the {@link ClientStore} so that each QoS 2 message reaches the application once, also
 * across a restart of the process.
 *
 * <p>Confined to the client's context.
 */
final class Subscriptions {

  private final Context context;
  private final ClientStore store;
  private final Map<String, SubscriptionStream> byFilter = new LinkedHashMap<>();
  private final IntObjectHashMap<SubscriptionStream> byStream = new IntObjectHashMap<>();
  private final Set<Integer> receivedQos2;
  private Connection connection;
  private boolean draining;
  /** Set when the client closed for good: every later subscribe fails with it. */
  private BraidException closedBy;

  Subscriptions(Context context, ClientStore store) {
    this.context = context;
    this.store = store;
    this.receivedQos2 = new HashSet<>(store.load().receivedQos2());
  }

  /** Subscribes now if connected, else on the next connection; completes on SUBACK. */
  Future<Subscription> subscribe(Subscribe subscribe) {
    if (closedBy != null) {
      return Future.failedFuture(closedBy);
    }
    if (byFilter.containsKey(subscribe.topicFilter())) {
      return Future.failedFuture(new IllegalStateException("already subscribed to " + subscribe.topicFilter()
          + ": unsubscribe first to change its options"));
    }
    SubscriptionStream subscription = new SubscriptionStream(context, this, subscribe);
    byFilter.put(subscribe.topicFilter(), subscription);
    if (connection != null && !draining) {
      open(subscription, subscribe);
    }
    return subscription.subscribed.future();
  }

  /** A connection is ready: every subscription is sent on it, a reattach if the broker kept the session. */
  void attach(Connection connection, boolean sessionPresent) {
    this.connection = connection;
    this.draining = false;
    if (!sessionPresent && !receivedQos2.isEmpty()) {
      // a new session numbers its deliveries afresh: an old identifier would make a new message look like a repeat
      receivedQos2.forEach(store::removeReceivedQos2);
      receivedQos2.clear();
    }
    for (SubscriptionStream subscription : new ArrayList<>(byFilter.values())) {
      Subscribe original = subscription.resumption();
      if (subscription.unsubscribing()) {
        // asked while disconnected: reattach without retained messages and end it at once
        open(subscription, withRetainHandling(original, SubscribeOptions.DO_NOT_SEND_RETAINED));
        sendUnsubscribe(subscription);
      } else if (sessionPresent && subscription.grantedQos() >= 0) {
        open(subscription, withRetainHandling(original, SubscribeOptions.SEND_RETAINED_IF_NEW));
      } else {
        open(subscription, original);
      }
    }
  }

  private void open(SubscriptionStream subscription, Subscribe subscribe) {
    StreamEndpoint endpoint = connection.endpoint();
    if (!endpoint.canOpenStream()) {
      subscription.onSubAck(ReasonCode.QUOTA_EXCEEDED, "the broker allows no more streams on this connection", null);
      return;
    }
    int id = endpoint.openStream();
    subscription.streamId = id;
    subscription.connection = connection;
    byStream.put(id, subscription);
    endpoint.send(id, subscribe, false);
  }

  private static Subscribe withRetainHandling(Subscribe subscribe, int retainHandling) {
    SubscribeOptions options = subscribe.options();
    return new Subscribe(subscribe.topicFilter(), new SubscribeOptions(options.maxQos(), options.noLocal(),
        options.retainAsPublished(), retainHandling), subscribe.subscriptionIdentifier(), subscribe.userProperties(),
        subscribe.start(), subscribe.overflow(), subscribe.maxQueued());
  }

  /** The connection is gone: deliveries not handed over are dropped; the subscriptions wait for the next one. */
  void detach() {
    connection = null;
    byStream.clear();
    for (SubscriptionStream subscription : byFilter.values()) {
      subscription.connectionLost();
    }
  }

  /** The broker takes no new streams on this connection: new subscriptions wait for the next one. */
  void drain() {
    draining = true;
  }

  /** Whether {@code streamId} is a subscription's stream on the current connection. */
  boolean owns(int streamId) {
    return byStream.containsKey(streamId);
  }

  /** A message on a subscription's stream. */
  void onMessage(Connection from, int streamId, boolean endStream, BraidMessage message) {
    StreamEndpoint endpoint = from.endpoint();
    SubscriptionStream subscription = byStream.get(streamId);
    if (subscription == null) {
      endpoint.consumed(streamId);
      return;
    }
    if (message instanceof Publish publish) {
      subscription.offer(from, streamId, publish); // consumed once the application took it
    } else if (message instanceof PubRel rel) {
      receivedQos2.remove(rel.packetId());
      if (store.survivesRestart()) {
        store.removeReceivedQos2(rel.packetId());
      }
      endpoint.answer(streamId, PubComp.of(rel.packetId()), false);
    } else {
      endpoint.consumed(streamId);
      if (message instanceof SubAck subAck) {
        subscription.onSubAck(subAck.reasonCode(), subAck.reasonString(), subAck.recovery());
        if (endStream) {
          endpoint.reset(streamId, ErrorCode.CANCEL); // refused: the broker ended its side, end ours
        }
      } else if (message instanceof UnsubAck) {
        subscription.onUnsubscribed();
      }
    }
  }

  /** A stream closed: an unsubscribe is done; a subscription the broker reset is over. */
  void onStreamClosed(int streamId) {
    SubscriptionStream subscription = byStream.remove(streamId);
    if (subscription == null) {
      return;
    }
    if (subscription.unsubscribing()) {
      subscription.onUnsubscribed();
    } else {
      subscription.end();
    }
  }

  /** Sends UNSUBSCRIBE with END_STREAM on the subscription's stream. */
  void sendUnsubscribe(SubscriptionStream subscription) {
    connection.endpoint().send(subscription.streamId, new Unsubscribe(List.of()), true);
  }

  boolean receivedQos2(int packetId) {
    return receivedQos2.contains(packetId);
  }

  /** A QoS 2 delivery is being handed to the application: a redelivery of it is not. */
  void rememberQos2(int packetId) {
    receivedQos2.add(packetId);
    if (store.survivesRestart()) {
      store.addReceivedQos2(packetId);
    }
  }

  /**
   * Runs {@code action} on the context once what the store holds survives the death of the process. Not forced to
   * the disk first: that would keep the application waiting, and widen the moment in which a kill loses the message
   * (stored as received, not yet handed over); a crash of the whole machine may deliver it twice instead.
   */
  void afterStored(Runnable action) {
    if (!store.survivesRestart()) {
      action.run();
      return;
    }
    store.commit().whenComplete((done, failure) -> context.runOnContext(v -> action.run()));
  }

  /** A topic subscription's application finished with the message at {@code position}. */
  void savePosition(String filter, TopicPosition position) {
    if (store.survivesRestart()) {
      store.savePosition(filter, position);
    }
  }

  void forget(SubscriptionStream subscription) {
    byFilter.remove(subscription.filter(), subscription);
    if (subscription.streamId != 0 && byStream.get(subscription.streamId) == subscription) {
      byStream.remove(subscription.streamId);
    }
  }

  /** The client closed for good: every subscription ends. */
  void endAll(BraidException cause) {
    closedBy = cause;
    for (SubscriptionStream subscription : new ArrayList<>(byFilter.values())) {
      subscription.end();
    }
  }
}
