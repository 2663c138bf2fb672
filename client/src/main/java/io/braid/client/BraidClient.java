package io.braid.client;

import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.message.SubscribeOptions;
import io.braid.protocol.message.TopicPosition;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The Braid Java SDK for Vert.x applications: publish and subscribe over one WebSocket connection to a Braid broker,
 * with MQTT 5 delivery guarantees, automatic reconnect and resume, and backpressure from the application to the
 * publisher.
 *
 * <pre>{@code
 * BraidClient client = BraidClient.create(vertx, new BraidClientOptions()
 *     .uris("ws://localhost:8080/braid").clientId("sensor-1").persistentSession(3600));
 * client.connect()
 *     .compose(v -> client.subscribe("home/+/temp", 1, message -> System.out.println(message.topic())))
 *     .compose(s -> client.publish("home/kitchen/temp", Buffer.buffer("21.5"), 1));
 * }</pre>
 *
 * <p>Every call returns a Vert.x {@link Future} and may be made from any thread; the client runs on one Vert.x
 * context (the caller's when created on one, else a new event-loop context), where its futures complete and its
 * handlers run. Handlers must not block it: use {@link #blocking} for plain blocking Java.
 */
public final class BraidClient {

  private final Context context;
  private final ClientSession session;

  private BraidClient(Context context, ClientSession session) {
    this.context = context;
    this.session = session;
  }

  /**
   * A client on {@code vertx}; nothing is sent before {@link #connect()}.
   *
   * @throws IllegalArgumentException if the options are inconsistent (see {@link BraidClientOptions})
   */
  public static BraidClient create(Vertx vertx, BraidClientOptions options) {
    BraidClientOptions copy = new BraidClientOptions(options);
    copy.validate();
    Context context = vertx.getOrCreateContext();
    return new BraidClient(context, new ClientSession(vertx, context, copy));
  }

  /** A client for plain Java: it owns its Vert.x instance and blocks until each answer (see the class). */
  public static BlockingBraidClient blocking(BraidClientOptions options) {
    return new BlockingBraidClient(options);
  }

  /**
   * Connects to the first broker that answers (the URIs in turn, with backoff between rounds); completes on an
   * accepting CONNACK. From then on the client reconnects by itself after a loss, and resumes.
   */
  public Future<Void> connect() {
    return onContext(session::connect);
  }

  /** Subscribes to {@code filter} at most at {@code maxQos}; messages go to {@code handler}. */
  public Future<Subscription> subscribe(String filter, int maxQos, Handler<ReceivedMessage> handler) {
    return subscribe(filter, SubscribeOptions.of(maxQos)).map(subscription -> subscription.handler(handler));
  }

  /**
   * Subscribes to {@code filter} with MQTT 5 subscription options; the returned {@link Subscription} is a
   * {@link io.vertx.core.streams.ReadStream} whose demand drives the stream's credit. Completes on the SUBACK; fails
   * with {@link BraidException.Refused} or {@link BraidException.NotAuthorized} if the broker refuses.
   */
  public Future<Subscription> subscribe(String filter, SubscribeOptions options) {
    return subscribe(new Subscribe(filter, options, BraidMessage.ABSENT, List.of()));
  }

  /**
   * Subscribes with everything a SUBSCRIBE can ask: where to start in the topics' history
   * ({@code Subscribe.of("chat/rooms/1", 1).withStart(new SubscribeStart.Last(50))}), what the broker does when this
   * subscriber falls behind ({@link Subscribe#withOverflow}). Its {@link Subscription#recovery()} tells how the start
   * in history went; on every reconnect a topic subscription resumes after its {@link Subscription#lastPosition()}.
   */
  public Future<Subscription> subscribe(Subscribe subscribe) {
    return onContext(() -> session.subscriptions.subscribe(subscribe));
  }

  /**
   * The history position of the last message a subscription to the topic {@code filter} finished with, as the
   * client's store kept it (also from an earlier run of the process, with {@link ClientStore#file}), or null: start
   * a subscription after it with {@code withStart(new SubscribeStart.After(position))}. Any thread.
   */
  public TopicPosition storedPosition(String filter) {
    return session.storedPosition(filter);
  }

  /** Publishes {@code payload} to {@code topic} at {@code qos}, not retained, without properties. */
  public Future<Void> publish(String topic, Buffer payload, int qos) {
    return publish(topic, payload, qos, false, MessageProperties.NONE);
  }

  /**
   * Publishes a message. The future completes when the QoS's acknowledgement arrives (QoS 1: PUBACK; QoS 2: PUBCOMP;
   * QoS 0: once written); it fails with {@link BraidException.Refused} or {@link BraidException.NotAuthorized} if the
   * broker refuses it, {@link BraidException.OutboxFull} if it cannot wait, {@link BraidException.Closed} if the
   * client closes first. While disconnected it waits in the outbox and goes out after the reconnect.
   */
  public Future<Void> publish(String topic, Buffer payload, int qos, boolean retain, MessageProperties properties) {
    return onContext(() -> session.publisher.publish(Messages.publish(topic, payload, qos, retain, properties)));
  }

  /** The DISCONNECT reason codes a client may send (MQTT 5, section 3.14.2.1). */
  private static final Set<Integer> CLIENT_DISCONNECT_CODES = Set.of(ReasonCode.NORMAL_DISCONNECTION,
      ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, ReasonCode.UNSPECIFIED_ERROR, ReasonCode.MALFORMED_PACKET,
      ReasonCode.PROTOCOL_ERROR, ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, ReasonCode.TOPIC_NAME_INVALID,
      ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, ReasonCode.PACKET_TOO_LARGE, ReasonCode.MESSAGE_RATE_TOO_HIGH,
      ReasonCode.QUOTA_EXCEEDED, ReasonCode.PAYLOAD_FORMAT_INVALID);

  /**
   * Publishes waiting to be written (for the broker's credit, for a connection, or for room in a full outbox), read on
   * the client's context. An application that publishes only while this is 0, and resumes in the {@link #drainHandler},
   * never queues in the client: backpressure from the broker to the application, as a Vert.x {@code WriteStream}'s
   * {@code writeQueueFull()} gives.
   */
  public int queuedPublishes() {
    return session.publisher.queued();
  }

  /** Runs {@code handler} on the client's context each time the queued publishes have all been written. */
  public BraidClient drainHandler(Handler<Void> handler) {
    onContext(() -> {
      session.publisher.drainHandler(() -> handler.handle(null));
      return Future.succeededFuture();
    });
    return this;
  }

  /** Disconnects normally (the broker discards the will) and closes for good. */
  public Future<Void> disconnect() {
    return disconnect(ReasonCode.NORMAL_DISCONNECTION);
  }

  /**
   * Sends DISCONNECT with {@code reasonCode} and closes for good. 0x00 has the broker discard the will; 0x04
   * ({@link ReasonCode#DISCONNECT_WITH_WILL_MESSAGE}) and the error codes have it published. Publishes not yet
   * acknowledged fail with {@link BraidException.Closed}; a code a client may not send fails the future with
   * {@link IllegalArgumentException} and leaves the client as it was.
   */
  public Future<Void> disconnect(int reasonCode) {
    if (!CLIENT_DISCONNECT_CODES.contains(reasonCode)) {
      return Future.failedFuture(new IllegalArgumentException("a client may not disconnect with reason code 0x"
          + Integer.toHexString(reasonCode)));
    }
    return onContext(() -> session.disconnect(reasonCode));
  }

  /**
   * The publishes an earlier run of the process left unacknowledged in the client's store (a file store), in the order
   * they were made; they go out again once connected. Empty with the memory store. May be called from any thread.
   */
  public List<PendingPublish> pendingPublishes() {
    return session.publisher.restored();
  }

  /** Hears every change of the connection's state, on the client's context. */
  public BraidClient stateHandler(Handler<ConnectionState> handler) {
    onContext(() -> {
      session.stateHandler(handler);
      return Future.succeededFuture();
    });
    return this;
  }

  /** The connection's state now. */
  public ConnectionState state() {
    return session.state();
  }

  /** The context the client runs on. */
  public Context context() {
    return context;
  }

  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    if (Vertx.currentContext() == context) {
      return action.get();
    }
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }
}
