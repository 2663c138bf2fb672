package io.braid.pubsub.broker;

import io.braid.pubsub.history.Recovery;
import io.braid.pubsub.history.StartFrom;
import io.braid.pubsub.history.TopicHistories;
import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.presence.LeaveReason;
import io.braid.pubsub.presence.Presence;
import io.braid.pubsub.store.BrokerStore;
import io.braid.pubsub.subscription.Subscription;
import io.braid.pubsub.subscription.SubscriptionOptions;
import io.braid.pubsub.topic.TopicFilter;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One connection's handle on its session: everything the server does on behalf of the client after CONNECT.
 *
 * <p>Call every method on the connection's own thread (the executor given to {@link Broker#connect}). A handle
 * whose session was taken over by another connection, or which disconnected, is {@linkplain #isAttached() detached}:
 * its calls are ignored. Futures may complete on any thread; hop back to the connection's thread before using them.
 */
public final class SessionHandle {

  private static final System.Logger LOG = System.getLogger(SessionHandle.class.getName());

  private static final CompletableFuture<AckReason> SUCCESS = CompletableFuture.completedFuture(AckReason.SUCCESS);

  private final Session session;
  private final Broker broker;
  /** Changes the store may be behind by before a QoS 0 publish that it must keep waits for it. */
  static final int STORE_BACKLOG_LIMIT = 8_192;

  private volatile boolean attached = true;
  private volatile String presenceInfo;
  private volatile String presenceName;

  SessionHandle(Session session, Broker broker) {
    this.session = session;
    this.broker = broker;
  }

  public String clientId() {
    return session.clientId;
  }

  /** False once the session was taken over, the connection disconnected, or the session ended. */
  public boolean isAttached() {
    return attached;
  }

  /** Call once CONNACK is sent: the session then resends what was in flight and delivers what waits. */
  public void start() {
    session.executor.execute(() -> session.start(this));
  }

  /** The connection can take more messages again (credit granted, write queue drained). */
  public void resume() {
    session.executor.execute(() -> session.resume(this));
  }

  /**
   * Publishes {@code message} (its publisher id must be this client's) received with {@code packetId} (0 at QoS
   * 0). The future completes with the reason code of the PUBACK (QoS 1) or PUBREC (QoS 2) once the message is
   * durable for every persistent session it was queued for, or (QoS 1) once all of them acknowledged it, if that is
   * sooner. At QoS 0 it is complete at once (unless the message is one the store keeps, in a history or retained,
   * and the store is behind: then once it caught up). Futures of successive publishes may complete in any order:
   * putting acknowledgements back in publish order (MQTT 5.0 §4.6) is the connection's job, per channel of
   * publishes. A QoS 2 message whose packet identifier is still unreleased is a duplicate: it is acknowledged again,
   * not published again (§4.3.3). A QoS 2 message of a persistent session reaches subscribers (at QoS 2) only once
   * it and its identifier are durable, so it may reach them after a QoS 0 or 1 message its publisher sent later:
   * MQTT orders messages per topic and QoS (§4.6).
   */
  public CompletableFuture<AckReason> publish(ApplicationMessage message, int packetId) {
    if (!attached) {
      // taken over or disconnected: nothing is published, and nothing may be acknowledged as if it were
      return CompletableFuture.failedFuture(new IllegalStateException("the session of " + session.clientId
          + " is no longer attached to this connection"));
    }
    if (!message.publisherId().equals(session.clientId)) {
      throw new IllegalArgumentException("publisher id " + message.publisherId() + " is not this session's "
          + session.clientId);
    }
    if (message.qos() == 0) {
      PublishOutcome outcome = broker.publish(message);
      if (outcome.stored() && broker.store().backlog() > STORE_BACKLOG_LIMIT) {
        // kept in a history or retained, and the store is behind: the publisher waits for it (its credit with it)
        return broker.store().sync().handle((done, failure) -> AckReason.SUCCESS);
      }
      return SUCCESS;
    }
    if (message.qos() == 2) {
      if (!session.inboundQos2.add(packetId)) {
        return SUCCESS; // a retransmission of an unreleased exchange: acknowledged again, not published again
      }
      if (session.isPersistent()) {
        return publishExactlyOnce(message, packetId);
      }
    }
    PublishOutcome outcome = broker.publish(message);
    AckReason reason = outcome.deliveries() == 0 ? AckReason.NO_MATCHING_SUBSCRIBERS : AckReason.SUCCESS;
    if (!outcome.waits()) {
      return CompletableFuture.completedFuture(reason);
    }
    CompletableFuture<Throwable> here = outcome.stored()
        ? StoredCopies.durableOrAcknowledged(broker.store(), outcome.copies()).handle((done, failure) -> failure)
        : CompletableFuture.completedFuture(null);
    CompletableFuture<Throwable> elsewhere = outcome.elsewhere() == null ? CompletableFuture.completedFuture(null)
        : outcome.elsewhere().handle((done, failure) -> failure);
    return here.thenCombine(elsewhere, (storeFailure, nodeFailure) -> storeFailure != null
        ? storeFailed(message, packetId, storeFailure)
        : nodeFailure != null ? elsewhereFailed(nodeFailure) : reason);
  }

  /**
   * A QoS 2 publish of a persistent session. Its stored copies and its packet identifier are one atomic group of the
   * store, and its QoS 2 deliveries wait for the commit that holds them. A crash before that commit forgets both, and
   * the publisher's retransmission is then a new message that nobody received; after it, the retransmission is
   * recognised and not published again (MQTT 5.0 §4.3.3). Copies committed without the identifier would be
   * delivered after a restart and published again by the retransmission: twice.
   */
  private CompletableFuture<AckReason> publishExactlyOnce(ApplicationMessage message, int packetId) {
    CompletableFuture<Void> durable = new CompletableFuture<>();
    BrokerStore store = broker.store();
    PublishOutcome outcome = store.atomically(() -> {
      PublishOutcome published = broker.publish(message, durable);
      store.addInboundPacketId(session.clientId, packetId);
      return published;
    });
    AckReason reason = outcome.deliveries() == 0 ? AckReason.NO_MATCHING_SUBSCRIBERS : AckReason.SUCCESS;
    CompletableFuture<AckReason> acknowledged = broker.store().sync().handle((ignored, failure) -> {
      durable.complete(null); // after a store failure, delivered all the same: the copies exist in memory
      return failure == null ? reason : storeFailed(message, packetId, failure);
    });
    if (outcome.elsewhere() == null) {
      return acknowledged;
    }
    // other nodes' copies were sent once the identifier was durable (the hold): the acknowledgement waits for them
    return acknowledged.thenCombine(outcome.elsewhere().handle((taken, failure) -> failure),
        (ack, failure) -> failure == null || ack != reason ? ack : elsewhereFailed(failure));
  }

  /**
   * Another node did not confirm its copy (it left, or the link to it broke): the publisher is told (0x80) and may
   * publish again. A QoS 2 identifier stays taken: its copies here and on the other nodes that confirmed are
   * published, and a retransmission must not publish them twice.
   */
  private AckReason elsewhereFailed(Throwable failure) {
    LOG.log(System.Logger.Level.WARNING, "a publish of client " + session.clientId + " is not confirmed by every "
        + "node it went to; refusing to acknowledge it: " + failure.getMessage());
    return AckReason.UNSPECIFIED_ERROR;
  }

  private AckReason storeFailed(ApplicationMessage message, int packetId, Throwable failure) {
    broker.storeFailed(session.clientId, failure);
    if (message.qos() == 2) {
      session.inboundQos2.remove(packetId); // a failed PUBREC ends the exchange; a retry is a new message
    }
    return AckReason.UNSPECIFIED_ERROR;
  }

  /**
   * PUBREL for an inbound QoS 2 message; completes with the PUBCOMP reason code once the release is durable: until
   * then a restart would remember the identifier, and a new message reusing it after the PUBCOMP would be taken for a
   * retransmission and lost.
   */
  public CompletableFuture<AckReason> release(int packetId) {
    if (!session.inboundQos2.remove(packetId)) {
      return CompletableFuture.completedFuture(AckReason.PACKET_IDENTIFIER_NOT_FOUND);
    }
    if (!session.isPersistent()) {
      return SUCCESS;
    }
    broker.store().removeInboundPacketId(session.clientId, packetId);
    return broker.store().sync().handle((done, failure) -> {
      if (failure == null) {
        return AckReason.SUCCESS;
      }
      broker.storeFailed(session.clientId, failure);
      return AckReason.UNSPECIFIED_ERROR;
    });
  }

  /**
   * Subscribes (or replaces the options of the subscription with the same filter, [MQTT-3.8.4-3]) and queues the
   * matching retained messages as its retain handling says (§3.8.3.1); shared subscriptions get none (§4.8.2).
   * Returns true if the subscription is new. Call before sending SUBACK; the retained messages follow it.
   */
  public boolean subscribe(TopicFilter filter, SubscriptionOptions options) {
    return subscribe(filter, options, StartFrom.NOW).isNew();
  }

  /**
   * {@link #subscribe(TopicFilter, SubscriptionOptions)}, starting in the history of the matching topics at
   * {@code start}: the history's messages are sent first, then live ones, with none missing or twice at the seam.
   * The result says what the subscriber gets from history ({@link Recovery}; null for {@link StartFrom#NOW}).
   */
  public SubscribeResult subscribe(TopicFilter filter, SubscriptionOptions options, StartFrom start) {
    return subscribe(filter, options, start, SubscriptionLimit.DEFAULT);
  }

  /**
   * {@link #subscribe(TopicFilter, SubscriptionOptions, StartFrom)} with the subscription's own overflow policy and
   * queue limit, which last until it is subscribed again or unsubscribed.
   */
  public SubscribeResult subscribe(TopicFilter filter, SubscriptionOptions options, StartFrom start,
      SubscriptionLimit limit) {
    Presence presence = broker.presence();
    if (presence.tracks(filter) && !presence.join(filter, session.clientId, presenceInfo, presenceName, this)) {
      return SubscribeResult.refused("the name '" + presenceName + "' is taken in " + filter.asString());
    }
    session.limits.set(filter, limit);
    boolean replays = !(start instanceof StartFrom.Now);
    if (replays) {
      // before the subscription exists, so that every live message routed to it waits behind the replay
      session.executor.execute(() -> session.beginReplay(this, filter));
    }
    // first, so that every message the router routes to the new subscription arrives after it
    session.executor.execute(() -> session.reinstate(this, filter));
    boolean isNew = register(filter, options);
    session.saveState();
    int handling = options.retainHandling();
    boolean sendRetained = handling == SubscriptionOptions.SEND_ON_SUBSCRIBE
        || handling == SubscriptionOptions.SEND_IF_NEW_SUBSCRIPTION && isNew;
    if (sendRetained && !filter.isShared()) {
      List<Integer> ids = options.hasSubscriptionIdentifier() ? List.of(options.subscriptionIdentifier()) : List.of();
      for (ApplicationMessage retained : broker.retainedMatching(filter)) {
        // [MQTT-3.3.1-9] retained messages sent on subscribe carry RETAIN = 1
        session.offer(retained, filter, options.grantedQos(retained.qos()), true, ids, null, null);
      }
    }
    if (!replays) {
      return new SubscribeResult(isNew, null);
    }
    // read after the subscription exists: a message not in the replay is routed to it live
    TopicHistories.Replay replay = broker.histories().replay(filter, start);
    session.executor.execute(() -> session.replay(this, filter, options, replay));
    return new SubscribeResult(isNew, replay.recovery());
  }

  /**
   * Registers the subscription with the router; whether it is new. A presence subscription is registered together
   * with its snapshot of the members, atomically with respect to joins and leaves: its subscriber gets the snapshot
   * first, then exactly the changes after it.
   */
  private boolean register(TopicFilter filter, SubscriptionOptions options) {
    Subscription subscription = new Subscription(session.clientId, filter, options);
    Presence presence = broker.presence();
    if (!Presence.isPresenceFilter(filter) || !presence.isEnabled()) {
      return broker.router().subscribe(subscription);
    }
    List<Integer> ids = options.hasSubscriptionIdentifier() ? List.of(options.subscriptionIdentifier()) : List.of();
    return presence.subscribe(filter, () -> broker.router().subscribe(subscription),
        page -> session.offer(broker.stamp(page), filter, options.grantedQos(page.qos()), false, ids, null, null));
  }

  /**
   * What this client shows of itself to presence subscribers: a JSON object (the server builds it from the
   * authenticated user and what the client declared), or null. Set before the first subscribe.
   */
  public void presenceInfo(String json) {
    presenceInfo(json, null);
  }

  /**
   * {@link #presenceInfo(String)}, with the name (in the info) that no two members of a tracked topic may share: a
   * subscription to a topic where another client has it is refused. Null: no such name.
   */
  public void presenceInfo(String json, String uniqueName) {
    this.presenceInfo = json;
    this.presenceName = uniqueName;
  }

  /**
   * What a subscribe did.
   *
   * @param isNew whether the subscription is new (no subscription with its filter existed)
   * @param recovery what the subscriber gets from history, or null if it asked for none
   * @param refusal why the subscription was refused (its name is taken in a tracked topic), or null: it was made
   */
  public record SubscribeResult(boolean isNew, Recovery recovery, String refusal) {
    public SubscribeResult(boolean isNew, Recovery recovery) {
      this(isNew, recovery, null);
    }

    static SubscribeResult refused(String why) {
      return new SubscribeResult(false, null, why);
    }
  }

  /**
   * Completes once the session's state as it is now (its subscriptions) survives a crash: at once for a session that
   * ends with its connection, after the store's next sync for a persistent one, which is when its SUBACK or UNSUBACK
   * may go out. The future may complete on a store thread, or exceptionally with a {@code StoreException}.
   */
  public CompletableFuture<Void> stateDurable() {
    return session.isPersistent() ? broker.store().sync() : CompletableFuture.completedFuture(null);
  }

  /**
   * Removes the subscription with {@code filter}; returns false if there was none (UNSUBACK 0x11). Messages already
   * queued or in flight for it are still delivered (MQTT 5.0 §3.10.4), unless {@link #abandon} drops them.
   */
  public boolean unsubscribe(TopicFilter filter) {
    boolean removed = broker.router().unsubscribe(session.clientId, filter);
    session.limits.remove(filter);
    if (removed && broker.presence().tracks(filter)) {
      broker.presence().leave(filter, session.clientId, this, LeaveReason.UNSUBSCRIBED);
    }
    if (removed) {
      session.saveState();
    }
    return removed;
  }

  /**
   * The channel that carried {@code filter}'s deliveries closed (in Braid, the subscription's stream): nothing
   * sent on it can be acknowledged any more, so the messages queued or in flight for it are dropped.
   */
  public void abandon(TopicFilter filter) {
    session.executor.execute(() -> session.abandon(this, filter));
  }

  /** The session's subscriptions. */
  public List<Subscription> subscriptions() {
    return broker.router().subscriptions(session.clientId);
  }

  /** PUBACK from the client for a QoS 1 delivery. */
  public void pubAck(int packetId) {
    session.executor.execute(() -> session.onPubAck(this, packetId));
  }

  /** PUBREC from the client for a QoS 2 delivery; {@code failure} if its reason code is 0x80 or more. */
  public void pubRec(int packetId, boolean failure) {
    session.executor.execute(() -> session.onPubRec(this, packetId, failure));
  }

  /** PUBCOMP from the client for a QoS 2 delivery. */
  public void pubComp(int packetId) {
    session.executor.execute(() -> session.onPubComp(this, packetId));
  }

  /**
   * The client sent DISCONNECT. {@code withWill} is true for reason 0x04 (Disconnect with Will Message);
   * {@code sessionExpiryInterval} is the DISCONNECT's new session expiry, or -1 to keep it.
   */
  public void disconnect(boolean withWill, long sessionExpiryInterval) {
    end(withWill, sessionExpiryInterval, LeaveReason.DISCONNECTED);
  }

  private void end(boolean withWill, long sessionExpiryInterval, LeaveReason reason) {
    broker.presence().leaveAll(session.clientId, this, reason);
    attached = false;
    session.executor.execute(() -> session.detach(this, withWill, sessionExpiryInterval));
  }

  /** The connection closed without DISCONNECT (network error, keep-alive timeout, protocol error): the will stands. */
  public void connectionLost() {
    end(true, -1, LeaveReason.LOST);
  }

  void detached() {
    attached = false;
  }
}
