package io.braid.client;

import io.braid.protocol.message.RecoveryReport;
import io.braid.protocol.message.TopicPosition;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.streams.ReadStream;
import java.util.function.Function;

/**
 * One subscription of a {@link BraidClient}: a Vert.x {@link ReadStream} of the messages it receives, on its own
 * stream of the connection. Its demand is the stream's credit: {@link #pause()} stops granting credit, so the broker
 * stops sending (and keeps what comes meanwhile in the session's queue); {@link #fetch}/{@link #resume()} grant it
 * again. Backpressure thus runs from the application to the publisher. A subscription survives reconnects: the
 * client reattaches it on every new connection.
 *
 * <p>Handlers run on the client's context; the methods may be called from any thread.
 */
public interface Subscription extends ReadStream<ReceivedMessage> {

  /** The topic filter subscribed to. */
  String filter();

  /** The QoS the broker granted. */
  int grantedQos();

  /**
   * How the broker's recovery went the last time this subscription started in history (its SUBACK's report), or null
   * if it never did. A subscription started in history, and every topic subscription that received a message with a
   * position, resumes after its last position on each reconnect.
   */
  RecoveryReport recovery();

  /**
   * Hears each recovery report: once for a subscription that starts in history, and again after each reconnect that
   * resumed it ({@link RecoveryReport.Status#COMPLETE}: nothing was missed; {@link RecoveryReport.Status#GAP}: the
   * offsets from {@code gapFrom} to {@code gapTo} are lost, for the reason given).
   */
  Subscription recoveryHandler(Handler<RecoveryReport> handler);

  /**
   * The history position of the last message the application finished with (a topic subscription on a topic that
   * keeps a history), or null. Saved in the client's store, where {@link BraidClient#storedPosition} finds it in a
   * later run.
   */
  TopicPosition lastPosition();

  /**
   * Ends the subscription; completes on the broker's UNSUBACK. While the client is disconnected the UNSUBSCRIBE goes
   * out first on the next connection (the broker may hold the subscription in the session), and completes then.
   */
  Future<Void> unsubscribe();

  @Override
  Subscription handler(Handler<ReceivedMessage> handler);

  /**
   * Sets a handler whose work ends when the future it returns completes (null: at once), replacing
   * {@link #handler}. Only then is the message acknowledged to the broker and the next one handed over, so the broker
   * keeps a QoS 1/2 message until the application has finished with it: work lost in a crash is delivered again. A
   * failed future is reported to the {@link #exceptionHandler} and acknowledges all the same.
   */
  Subscription asyncHandler(Function<ReceivedMessage, Future<?>> handler);

  /** Hears a handler's failure and a subscription the broker ended with an error; else they are logged. */
  @Override
  Subscription exceptionHandler(Handler<Throwable> handler);

  @Override
  Subscription pause();

  @Override
  Subscription resume();

  @Override
  Subscription fetch(long amount);

  /** Called once the subscription ended (unsubscribed, or the client closed). */
  @Override
  Subscription endHandler(Handler<Void> endHandler);
}
