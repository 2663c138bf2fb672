package io.braid.server.braid;

import io.braid.protocol.endpoint.StreamEndpoint;
import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.PubAck;
import io.braid.protocol.message.PubComp;
import io.braid.protocol.message.PubRec;
import io.braid.protocol.message.PubRel;
import io.braid.protocol.message.Publish;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.mux.ErrorCode;
import io.braid.protocol.mux.StreamState;
import io.braid.protocol.ws.CloseCodes;
import io.braid.pubsub.broker.AckReason;
import io.braid.pubsub.broker.SessionHandle;
import io.braid.server.frontend.AckQueue;
import io.braid.server.frontend.ConnectedClient;
import io.braid.server.frontend.PublishGate;
import io.netty.util.collection.IntObjectHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The publication streams of one connected client (PROTOCOL.md 8.4): PUBLISH and PUBREL come in, PUBACK, PUBREC and
 * PUBCOMP go back on the same stream in the order the publishes arrived ({@link AckQueue}), each returning its
 * publish's credit only once it is written. QoS 2 packet identifiers are per session; one still held by an open
 * exchange on another stream of this connection is refused with 0x91.
 *
 * <p>Built at CONNACK for the connected client. Confined to the connection's event loop; outcomes the pub/sub core
 * completes elsewhere come back through {@code loop}.
 */
final class PublicationStreams {

  /** One publication stream. */
  private static final class PublicationStream {
    final int id;
    final AckQueue acks = new AckQueue();
    /** QoS 1/2 publishes whose acknowledgement was not yet handed to the endpoint. */
    int owed;
    /** The client sent END_STREAM: it sends nothing more here. */
    boolean clientEnded;
    /** This side ended the stream (END_STREAM or RESET). */
    boolean serverEnded;

    PublicationStream(int id) {
      this.id = id;
    }
  }

  private final StreamEndpoint endpoint;
  private final ConnectedClient client;
  private final SessionHandle session;
  private final PublishGate gate;
  private final ConnectionControl control;
  private final Executor loop;
  private final IntObjectHashMap<PublicationStream> streams = new IntObjectHashMap<>();
  /** Inbound QoS 2 packet identifiers whose exchange began on a stream of this connection and is not released. */
  private final IntObjectHashMap<PublicationStream> qos2InUse = new IntObjectHashMap<>();
  private boolean open = true;
  private final Timers timers;

  /** Runs a task on the connection's event loop after a delay. */
  interface Timers {
    void schedule(long delayMillis, Runnable task);
  }

  /**
   * @param loop runs a task on the connection's event loop (at once when already there)
   * @param timers runs a task there later (the credit of a QoS 0 publish over the rate)
   */
  PublicationStreams(StreamEndpoint endpoint, ConnectedClient client, PublishGate gate, ConnectionControl control,
      Executor loop, Timers timers) {
    this.endpoint = endpoint;
    this.client = client;
    this.session = client.session();
    this.gate = gate;
    this.control = control;
    this.loop = loop;
    this.timers = timers;
  }

  /** A QoS 0 publish is done with: its credit goes back, unless the connection closed meanwhile. */
  private void consumedQos0(PublicationStream stream) {
    if (open) {
      endpoint.consumed(stream.id);
      closeIfDone(stream);
    }
  }

  /** A PUBLISH on stream {@code id}; the first one opens the stream. */
  void onPublish(int id, boolean endStream, Publish publish) {
    PublicationStream stream = stream(id);
    if (stream == null) {
      endpoint.consumed(id); // reset before the session was attached
      return;
    }
    stream.clientEnded |= endStream;
    int qos = publish.qos();
    if (qos > 0) {
      stream.owed++;
    }
    PublicationStream holder = qos == 2 ? qos2InUse.get(publish.packetId()) : null;
    if (holder != null && streams.get(holder.id) == holder) {
      refuse(stream, publish, ReasonCode.PACKET_IDENTIFIER_IN_USE, "packet identifier " + publish.packetId()
          + " is in use by the unreleased QoS 2 publish on stream " + holder.id);
      return;
    }
    PublishGate.Verdict verdict = gate.check(publish.topic(), qos, publish.payloadFormatIndicator() == 1,
        publish.payload());
    if (verdict instanceof PublishGate.Accept accepted) {
      publish(stream, publish, accepted);
    } else if (verdict instanceof PublishGate.Refuse refused) {
      refuse(stream, publish, refused.reasonCode(), refused.reason());
    } else if (verdict instanceof PublishGate.Drop) {
      endpoint.consumed(id);
      closeIfDone(stream);
    } else {
      PublishGate.Disconnect disconnect = (PublishGate.Disconnect) verdict;
      endpoint.consumed(id);
      control.disconnect(disconnect.reasonCode(), disconnect.reason(), CloseCodes.POLICY_VIOLATION);
    }
  }

  private void publish(PublicationStream stream, Publish publish, PublishGate.Accept accepted) {
    CompletableFuture<AckReason> outcome = session.publish(MessageMapping.toApplicationMessage(client.clientId(),
        accepted.topic(), publish, gate.senderOf(accepted.topic())), publish.packetId());
    if (publish.qos() == 0) {
      // the credit waits for the store if it is behind on a message it keeps, and for the rate if it was exceeded
      long delayMillis = (accepted.creditDelayNanos() + 999_999) / 1_000_000;
      Runnable returnCredit = delayMillis == 0 ? () -> consumedQos0(stream)
          : () -> timers.schedule(delayMillis, () -> consumedQos0(stream));
      if (outcome.isDone()) {
        returnCredit.run();
      } else {
        outcome.whenComplete((reason, failure) -> loop.execute(returnCredit));
      }
      return;
    }
    if (publish.qos() == 2) {
      qos2InUse.put(publish.packetId(), stream);
    }
    AckQueue.Pending pending = stream.acks.add(publish.qos(), publish.packetId());
    outcome.whenComplete((reason, failure) -> loop.execute(() -> {
      if (failure != null) {
        pending.silence(); // not published (the session was taken over): the client must not think it was
      } else {
        pending.decide(reason.code(), reason.isFailure() ? "the message could not be stored" : null);
        if (reason.isFailure() && publish.qos() == 2) {
          release(publish.packetId(), stream); // a failed PUBREC ends the exchange
        }
      }
      acknowledge(stream);
    }));
  }

  /** Refuses a QoS 1/2 publish in its acknowledgement, after those owed before it; a QoS 0 one ends the connection. */
  private void refuse(PublicationStream stream, Publish publish, int reasonCode, String reason) {
    if (publish.qos() == 0) {
      endpoint.consumed(stream.id);
      control.disconnect(reasonCode, reason, CloseCodes.POLICY_VIOLATION);
      return;
    }
    stream.acks.add(publish.qos(), publish.packetId()).decide(reasonCode, reason);
    acknowledge(stream);
  }

  /**
   * PUBREL for a QoS 2 publish: answered with PUBCOMP once the release is durable, which returns its credit. It may
   * open the stream: the client completes an exchange whose PUBREC came on an earlier connection.
   */
  void onPubRel(int id, boolean endStream, PubRel rel) {
    PublicationStream stream = stream(id);
    if (stream == null) {
      endpoint.consumed(id);
      return;
    }
    stream.clientEnded |= endStream;
    stream.owed++; // the PUBCOMP: no other answer may end the stream before it
    release(rel.packetId(), null);
    session.release(rel.packetId()).whenComplete((reason, failure) -> loop.execute(() -> {
      stream.owed--;
      if (!open || streams.get(stream.id) != stream) {
        endpoint.consumed(id); // reset meanwhile: nobody to tell
        return;
      }
      boolean end = stream.clientEnded && stream.owed == 0;
      stream.serverEnded |= end;
      int code = failure != null ? ReasonCode.UNSPECIFIED_ERROR : reason.code();
      endpoint.answer(id, PubComp.of(rel.packetId(), code), end);
      closeIfDone(stream);
    }));
  }

  /**
   * Hands the decided acknowledgements to the endpoint, in order; each returns its publish's credit once written. The
   * last one owed on a stream the client ended carries END_STREAM.
   */
  private void acknowledge(PublicationStream stream) {
    stream.acks.release(pending -> {
      if (!open || streams.get(stream.id) != stream || pending.silent()) {
        endpoint.consumed(stream.id); // the stream was reset or the connection is closing: nobody to tell
        return;
      }
      stream.owed--;
      String text = pending.reason() == null ? null : control.reasonString(pending.reason());
      BraidMessage ack = pending.qos() == 1 ? new PubAck(pending.packetId(), pending.reasonCode(), text, List.of())
          : new PubRec(pending.packetId(), pending.reasonCode(), text, List.of());
      boolean end = stream.clientEnded && stream.owed == 0
          && (pending.qos() == 1 || ReasonCode.isError(pending.reasonCode()));
      stream.serverEnded |= end;
      endpoint.answer(stream.id, ack, end);
    });
    closeIfDone(stream);
    control.answered();
  }

  /**
   * The client ended the stream and nothing is owed or waiting on it, but no answer ended this side (its publishes
   * were QoS 0): RESET {@code no_error} closes it.
   */
  private void closeIfDone(PublicationStream stream) {
    if (stream.clientEnded && stream.owed == 0 && !stream.serverEnded && open && !endpoint.hasQueued(stream.id)
        && streams.get(stream.id) == stream) {
      stream.serverEnded = true;
      endpoint.reset(stream.id, ErrorCode.NO_ERROR);
    }
  }

  /** The QoS 2 exchange with {@code packetId} ended (on {@code stream}, or on any stream if null). */
  private void release(int packetId, PublicationStream stream) {
    if (stream == null || qos2InUse.get(packetId) == stream) {
      qos2InUse.remove(packetId);
    }
  }

  /** The stream of {@code id}, created by its first message; null if it closed before that message was handled. */
  private PublicationStream stream(int id) {
    PublicationStream stream = streams.get(id);
    if (stream == null && open && endpoint.state(id) != StreamState.CLOSED) {
      stream = new PublicationStream(id);
      streams.put(id, stream);
    }
    return stream;
  }

  /** Whether stream {@code id} is one of these publications'. */
  boolean owns(int id) {
    return streams.containsKey(id);
  }

  /** Credit arrived on {@code id} (0: every stream): a stream may be done now that its answers went out. */
  void onCredit(int id) {
    if (id != 0) {
      PublicationStream stream = streams.get(id);
      if (stream != null) {
        closeIfDone(stream);
      }
      return;
    }
    for (PublicationStream stream : streams.values().toArray(new PublicationStream[0])) {
      closeIfDone(stream);
    }
  }

  /** A stream closed: its acknowledgements still owed are never sent (their credit goes back as they come). */
  void onStreamClosed(int id) {
    streams.remove(id);
  }

  /** Whether acknowledgements are still owed on some stream: a graceful shutdown waits for them. */
  boolean owesAcknowledgements() {
    for (PublicationStream stream : streams.values()) {
      if (stream.owed > 0) {
        return true;
      }
    }
    return false;
  }

  /** The connection is closing: nothing more is answered. */
  void close() {
    open = false;
  }
}
