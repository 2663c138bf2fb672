package io.braid.client;

import io.braid.protocol.message.PubAck;
import io.braid.protocol.message.PubRec;
import io.braid.protocol.message.Publish;
import io.braid.protocol.message.RecoveryReport;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.message.SubscribeStart;
import io.braid.protocol.message.TopicPosition;
import io.braid.protocol.mux.StreamState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.function.Function;

/**
 * One subscription: the {@link Subscription} the application holds, and the deliveries received and not yet handed
 * to it. A delivery's acknowledgement (and with it the credit the broker needs to send the next) goes out only once
 * the application took it: at QoS 1 a PUBACK after the handler ran, at QoS 2 a PUBREC once its packet identifier is
 * stored, so that a redelivery is never handed over twice.
 *
 * <p>Confined to the client's context; the public methods hop there.
 */
final class SubscriptionStream implements Subscription {

  /** A delivery received on a connection, not yet handed to the application. */
  private record Pending(Connection connection, int streamId, Publish publish) {
  }

  private final Context context;
  private final Subscriptions owner;
  final Subscribe subscribe;
  private final ArrayDeque<Pending> buffer = new ArrayDeque<>();
  private static final System.Logger LOG = System.getLogger(SubscriptionStream.class.getName());

  private Handler<ReceivedMessage> handler;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> endHandler;
  private long demand = Long.MAX_VALUE;
  /** Completed by the first SUBACK. */
  final Promise<Subscription> subscribed = Promise.promise();
  private Promise<Void> unsubscribed;
  private int grantedQos = -1;
  /** The stream on the current connection, or 0. */
  int streamId;
  Connection connection;
  private boolean ended;
  /**
   * The delivery with the application (or, at QoS 2, whose identifier is being stored), or null: the next waits for it.
   * Forgotten when its connection is lost, as its acknowledgement could not go out any more: the broker sends it again.
   */
  private Pending current;
  /** {@link #drain()} is running: a nested call returns at once. */
  private boolean draining;
  private Function<ReceivedMessage, Future<?>> asyncHandler;
  private Handler<RecoveryReport> recoveryHandler;
  private RecoveryReport recovery;
  /** The position of the last message the application finished with (topic subscriptions), or where it started. */
  private TopicPosition lastPosition;

  SubscriptionStream(Context context, Subscriptions owner, Subscribe subscribe) {
    this.context = context;
    this.owner = owner;
    this.subscribe = subscribe;
    if (subscribe.start() instanceof SubscribeStart.After after) {
      this.lastPosition = after.position();
    }
  }

  /** Whether the filter names one topic, whose positions a later subscribe can start after. */
  private boolean isTopicName() {
    String filter = filter();
    return !filter.contains("+") && !filter.contains("#") && !filter.startsWith("$share/");
  }

  /**
   * The SUBSCRIBE that resumes this subscription on a new connection: after the last position for a topic
   * subscription that has one, else as first asked until the broker granted it once, then live (the broker's session,
   * if it kept one, holds what came meanwhile).
   */
  Subscribe resumption() {
    if (lastPosition != null && isTopicName()) {
      return subscribe.withStart(new SubscribeStart.After(lastPosition));
    }
    return grantedQos < 0 ? subscribe : subscribe.withStart(SubscribeStart.NOW);
  }

  @Override
  public String filter() {
    return subscribe.topicFilter();
  }

  @Override
  public int grantedQos() {
    return grantedQos;
  }

  @Override
  public RecoveryReport recovery() {
    return recovery;
  }

  @Override
  public TopicPosition lastPosition() {
    return lastPosition;
  }

  @Override
  public Subscription recoveryHandler(Handler<RecoveryReport> handler) {
    onContext(() -> this.recoveryHandler = handler);
    return this;
  }

  boolean isEnded() {
    return ended;
  }

  /** SUBACK on the current stream: granted (with a recovery report if it started in history), or refused. */
  void onSubAck(int reasonCode, String reason, RecoveryReport report) {
    if (reasonCode >= 0x80) {
      BraidException refusal = BraidException.refusal(reasonCode, "the subscription to " + filter(), reason);
      if (!subscribed.tryFail(refusal)) {
        report(refusal, "the broker refused to resume the subscription to " + filter());
      }
      end();
      return;
    }
    grantedQos = reasonCode;
    if (report != null) {
      recovery = report;
      if (recoveryHandler != null) {
        recoveryHandler.handle(report);
      }
    }
    subscribed.tryComplete(this);
  }

  /** A delivery; a QoS 2 one already handed over (its packet identifier is stored) is only acknowledged again. */
  void offer(Connection from, int stream, Publish publish) {
    if (publish.qos() == 2 && owner.receivedQos2(publish.packetId())) {
      from.endpoint().answer(stream, PubRec.of(publish.packetId()), false);
      return;
    }
    buffer.add(new Pending(from, stream, publish));
    drain();
  }

  private void drain() {
    if (draining) {
      return; // an acknowledgement made inside the loop below: the loop goes on
    }
    draining = true;
    try {
      while (demand > 0 && (handler != null || asyncHandler != null) && current == null && !buffer.isEmpty()) {
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        deliver(buffer.poll());
      }
    } finally {
      draining = false;
    }
  }

  private void deliver(Pending pending) {
    Publish publish = pending.publish();
    if (pending.connection().isEnded()) {
      return; // its connection is gone: the broker sends it again on the next (QoS 1/2), or it is lost (QoS 0)
    }
    current = pending;
    if (publish.qos() < 2) {
      handOver(publish, () -> acknowledge(pending));
      return;
    }
    // QoS 2, exactly once: the identifier is durable before the application sees the message, so that no redelivery
    // (after a reconnect or a restart of the process) reaches it again; a crash while the handler runs loses it
    owner.rememberQos2(publish.packetId());
    owner.afterStored(() -> {
      if (ended) {
        acknowledge(pending); // unsubscribed meanwhile: the broker's flow completes, the application asked for no more
      } else {
        handOver(publish, () -> acknowledge(pending));
      }
    });
  }

  /** Hands {@code publish} to the application; {@code done} runs on the context once the application is done. */
  private void handOver(Publish publish, Runnable done) {
    ReceivedMessage message = Messages.received(publish);
    if (asyncHandler == null) {
      try {
        handler.handle(message);
      } catch (RuntimeException e) {
        reportHandlerFailure(e);
      }
      done.run();
      return;
    }
    Future<?> work;
    try {
      work = asyncHandler.apply(message);
    } catch (RuntimeException e) {
      work = Future.failedFuture(e);
    }
    if (work == null) {
      work = Future.succeededFuture();
    }
    work.onComplete(result -> {
      if (result.failed()) {
        onContext(() -> reportHandlerFailure(result.cause()));
      }
      onContext(done);
    });
  }

  private void reportHandlerFailure(Throwable failure) {
    report(failure, "the handler of the subscription to " + filter() + " failed; the message is acknowledged all"
        + " the same");
  }

  private void report(Throwable failure, String what) {
    if (exceptionHandler != null) {
      exceptionHandler.handle(failure);
    } else {
      LOG.log(System.Logger.Level.WARNING, what + " (an exception handler on the subscription hears of this)",
          failure);
    }
  }

  /** The application is done with a delivery: its acknowledgement goes out, and with it the credit for the next. */
  private void acknowledge(Pending pending) {
    if (current != pending) {
      return; // its connection was lost meanwhile
    }
    current = null;
    Connection from = pending.connection();
    Publish publish = pending.publish();
    if (publish.position() != null && isTopicName()) {
      lastPosition = publish.position();
      owner.savePosition(filter(), lastPosition);
    }
    if (!from.isEnded()) {
      switch (publish.qos()) {
        case 0 -> from.endpoint().consumed(pending.streamId());
        case 1 -> from.endpoint().answer(pending.streamId(), PubAck.of(publish.packetId()), false);
        default -> from.endpoint().answer(pending.streamId(), PubRec.of(publish.packetId()), false);
      }
    }
    drain();
  }

  /** The connection is gone: deliveries not handed over are dropped; the broker sends QoS 1/2 ones again. */
  void connectionLost() {
    buffer.clear();
    current = null;
    streamId = 0;
    connection = null;
  }

  /** Whether the application asked to unsubscribe and the broker has not confirmed it yet. */
  boolean unsubscribing() {
    return unsubscribed != null && !ended;
  }

  /** UNSUBACK, or the stream closed after the client ended it: the subscription is over. */
  void onUnsubscribed() {
    if (unsubscribed != null) {
      unsubscribed.tryComplete();
    }
    end();
  }

  /** Ends the subscription: no more deliveries, the end handler runs once. */
  void end() {
    if (ended) {
      return;
    }
    ended = true;
    buffer.clear();
    owner.forget(this);
    subscribed.tryFail(new BraidException.Closed("the subscription to " + filter() + " ended", null));
    if (unsubscribed != null) {
      unsubscribed.tryComplete();
    }
    if (endHandler != null) {
      endHandler.handle(null);
    }
  }

  // ------------------------------------------------------------------------------------------ Subscription

  @Override
  public Future<Void> unsubscribe() {
    Promise<Void> promise = Promise.promise();
    onContext(() -> {
      if (ended) {
        promise.tryComplete();
        return;
      }
      unsubscribed = promise;
      if (connection == null || connection.isEnded() || connection.endpoint().state(streamId) == StreamState.CLOSED) {
        return; // sent on the next connection, before anything else (the broker may hold it in a session)
      }
      owner.sendUnsubscribe(this);
    });
    return promise.future();
  }

  @Override
  public Subscription handler(Handler<ReceivedMessage> handler) {
    onContext(() -> {
      this.handler = handler;
      this.asyncHandler = null;
      drain();
    });
    return this;
  }

  @Override
  public Subscription asyncHandler(Function<ReceivedMessage, Future<?>> handler) {
    onContext(() -> {
      this.asyncHandler = handler;
      this.handler = null;
      drain();
    });
    return this;
  }

  @Override
  public Subscription exceptionHandler(Handler<Throwable> handler) {
    onContext(() -> this.exceptionHandler = handler);
    return this;
  }

  @Override
  public Subscription endHandler(Handler<Void> endHandler) {
    onContext(() -> this.endHandler = endHandler);
    return this;
  }

  @Override
  public Subscription pause() {
    onContext(() -> demand = 0);
    return this;
  }

  @Override
  public Subscription resume() {
    onContext(() -> {
      demand = Long.MAX_VALUE;
      drain();
    });
    return this;
  }

  @Override
  public Subscription fetch(long amount) {
    onContext(() -> {
      demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
      drain();
    });
    return this;
  }

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
