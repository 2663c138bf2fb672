package io.braid.client;

import io.braid.protocol.endpoint.SendResult;
import io.braid.protocol.endpoint.StreamEndpoint;
import io.braid.protocol.message.BinaryMessageCodec;
import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.PubAck;
import io.braid.protocol.message.PubComp;
import io.braid.protocol.message.PubRec;
import io.braid.protocol.message.PubRel;
import io.braid.protocol.message.Publish;
import io.braid.protocol.message.ReasonCode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * The publishing half of a client session: packet identifiers, the outbox (publishes not yet written, because the
 * client is disconnected or the broker's credit is used up), the QoS 1/2 publishes in flight until acknowledged, and
 * their copy in the {@link ClientStore}. A publish's future completes with its acknowledgement (QoS 0: once written).
 * On a new connection, what was in flight goes first, again: PUBLISH with DUP, or PUBREL once PUBREC came.
 *
 * <p>Confined to the client's context.
 */
final class Publisher {

  /** One publish on its way. */
  private static final class Outgoing {
    final Publish publish;
    /** Completed by the acknowledgement. */
    final Promise<Void> promise;
    /** Sent on an earlier connection: resent with DUP. */
    boolean sentBefore;
    /** QoS 2: PUBREC came; what remains is PUBREL and its PUBCOMP. */
    boolean released;
    /** The store change that must be durable before this goes out (its PUBLISH, or after PUBREC its PUBREL). */
    long change;

    Outgoing(Publish publish, Promise<Void> promise) {
      this.publish = publish;
      this.promise = promise;
    }

    int packetId() {
      return publish.packetId();
    }
  }

  /** A publish waiting for room in a full outbox (policy WAIT). */
  private record Waiter(Outgoing outgoing, long timer) {
  }

  /** A PUBREL waiting for its released mark to be durable, on the stream where PUBREC came. */
  private record Release(Outgoing outgoing, Connection connection, int streamId) {
  }

  private final Vertx vertx;
  private final BraidClientOptions options;
  private final ClientStore store;
  private final ArrayDeque<Outgoing> outbox = new ArrayDeque<>();
  private final LinkedHashMap<Integer, Outgoing> inflight = new LinkedHashMap<>();
  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  private final ArrayDeque<Release> releases = new ArrayDeque<>();
  private final StoreCommits commits;
  private final List<PendingPublish> restored;
  private final Set<Integer> usedPacketIds = new HashSet<>();
  private Connection connection;
  /** The publication stream on the current connection; 0 until the first publish opens one. */
  private int stream;
  /** The broker sent GOAWAY: nothing new goes on this connection. */
  private boolean draining;
  private int lastPacketId;
  private Runnable drainHandler = () -> { };
  /** Something waited to be written since the drain handler last ran. */
  private boolean wasQueued;
  /** Set when the client closed for good: every later publish fails with it. */
  private BraidException closedBy;

  Publisher(Vertx vertx, Context context, BraidClientOptions options, ClientStore store) {
    this.vertx = vertx;
    this.options = options;
    this.store = store;
    this.commits = new StoreCommits(vertx, context, store, this::flush);
    List<PendingPublish> pending = new ArrayList<>();
    for (ClientStore.StoredPublish stored : store.load().publishes()) {
      Outgoing restored = new Outgoing((Publish) BinaryMessageCodec.INSTANCE.decode(stored.publish()),
          Promise.promise());
      pending.add(new PendingPublish(restored.publish.topic(), restored.publish.payload(), restored.publish.qos(),
          restored.promise.future()));
      restored.sentBefore = true;
      restored.released = stored.released();
      usedPacketIds.add(stored.packetId());
      outbox.add(restored);
    }
    this.restored = List.copyOf(pending);
  }

  /** The publishes restored from the store when the client was created. */
  List<PendingPublish> restored() {
    return restored;
  }

  /** Publishes {@code publish} (its packet identifier is set here); the future completes with its acknowledgement. */
  Future<Void> publish(Publish publish) {
    if (closedBy != null) {
      return Future.failedFuture(closedBy);
    }
    Promise<Void> promise = Promise.promise();
    Publish numbered = publish;
    if (publish.qos() > 0) {
      int packetId = nextPacketId();
      if (packetId == 0) {
        return Future.failedFuture(new BraidException.OutboxFull("65,535 QoS 1/2 publishes already in flight"));
      }
      numbered = publish.toBuilder().qos(publish.qos(), packetId).build();
    }
    Outgoing outgoing = new Outgoing(numbered, promise);
    if (outbox.size() >= options.outboxSize()) {
      if (options.outboxPolicy() == OutboxPolicy.FAIL || options.outboxWaitMillis() <= 0) {
        release(outgoing.packetId());
        return Future.failedFuture(new BraidException.OutboxFull("the outbox holds its maximum of "
            + options.outboxSize() + " publishes"));
      }
      long timer = vertx.setTimer(options.outboxWaitMillis(), id -> giveUp(outgoing));
      waiting.add(new Waiter(outgoing, timer));
      wasQueued = true;
      return promise.future();
    }
    enqueue(outgoing);
    flush();
    wasQueued |= queued() > 0;
    return promise.future();
  }

  private void enqueue(Outgoing outgoing) {
    if (outgoing.publish.qos() > 0 && store.survivesRestart()) {
      // the broker hears of it only once it is durable: after a restart the store then has all it may have seen
      store.putPublish(new ClientStore.StoredPublish(outgoing.packetId(),
          BinaryMessageCodec.INSTANCE.encode(outgoing.publish), false));
      outgoing.change = commits.changed();
    }
    outbox.add(outgoing);
  }

  private void giveUp(Outgoing outgoing) {
    for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
      if (it.next().outgoing() == outgoing) {
        it.remove();
        release(outgoing.packetId());
        outgoing.promise.tryFail(new BraidException.OutboxFull("no room in the outbox within "
            + options.outboxWaitMillis() + " ms"));
        return;
      }
    }
  }

  /** A connection is ready: what was in flight goes first, then the outbox. */
  void attach(Connection connection) {
    this.connection = connection;
    this.stream = 0;
    this.draining = false;
    flush();
  }

  /** The connection is gone: what was in flight waits, ahead of the outbox, to be sent again. */
  void detach() {
    connection = null;
    stream = 0;
    releases.clear(); // their publishes are in flight: requeued below, to go again as PUBREL
    requeueInflight();
  }

  /** The broker takes no new streams on this connection: publishes wait for the next one. */
  void drain() {
    draining = true;
  }

  private void requeueInflight() {
    Outgoing[] sent = inflight.values().toArray(new Outgoing[0]);
    inflight.clear();
    for (int i = sent.length - 1; i >= 0; i--) {
      sent[i].sentBefore = true;
      outbox.addFirst(sent[i]);
    }
  }

  /** Writes what the broker's credit allows and the store made durable, oldest first. */
  void flush() {
    while (!releases.isEmpty() && commits.isDurable(releases.peek().outgoing().change)) {
      Release release = releases.poll();
      if (!release.connection().isEnded()) {
        release.connection().endpoint().answer(release.streamId(), PubRel.of(release.outgoing().packetId()), false);
      }
    }
    while (!outbox.isEmpty() && commits.isDurable(outbox.peek().change) && canSend()) {
      write(outbox.poll());
    }
    while (!waiting.isEmpty() && outbox.size() < options.outboxSize()) {
      Waiter waiter = waiting.poll();
      vertx.cancelTimer(waiter.timer());
      enqueue(waiter.outgoing());
      flush();
    }
    if (wasQueued && queued() == 0) {
      wasQueued = false;
      drainHandler.run();
    }
  }

  private boolean canSend() {
    if (connection == null || connection.isEnded() || draining) {
      return false;
    }
    StreamEndpoint endpoint = connection.endpoint();
    return stream == 0 ? endpoint.canOpenStream() : endpoint.canSend(stream);
  }

  private void write(Outgoing outgoing) {
    StreamEndpoint endpoint = connection.endpoint();
    if (stream == 0) {
      stream = endpoint.openStream();
    }
    BraidMessage message = outgoing.released ? PubRel.of(outgoing.packetId())
        : outgoing.sentBefore ? outgoing.publish.toBuilder().dup(true).build() : outgoing.publish;
    SendResult result = endpoint.send(stream, message, false);
    if (result == SendResult.TOO_LARGE) {
      complete(outgoing, new BraidException.Refused(ReasonCode.PACKET_TOO_LARGE, "a publish of "
          + outgoing.publish.payload().length() + " bytes is larger than the broker accepts"));
      return;
    }
    if (outgoing.publish.qos() == 0) {
      outgoing.promise.tryComplete();
    } else {
      inflight.put(outgoing.packetId(), outgoing);
    }
  }

  /** An acknowledgement on the publication stream {@code streamId}. */
  void onAcknowledgement(int streamId, BraidMessage message) {
    StreamEndpoint endpoint = connection.endpoint();
    if (message instanceof PubRec rec) {
      Outgoing outgoing = inflight.get(rec.packetId());
      if (outgoing != null && !ReasonCode.isError(rec.reasonCode())) {
        // PUBREL once the mark is durable: a restart then sends PUBREL, never the PUBLISH the broker has completed
        outgoing.released = true;
        if (store.survivesRestart()) {
          store.releasePublish(rec.packetId());
          outgoing.change = commits.changed();
        }
        releases.add(new Release(outgoing, connection, streamId));
        flush();
        return;
      }
      endpoint.consumed(streamId);
      settle(rec.packetId(), rec.reasonCode(), rec.reasonString());
      return;
    }
    endpoint.consumed(streamId);
    if (message instanceof PubAck ack) {
      settle(ack.packetId(), ack.reasonCode(), ack.reasonString());
    } else if (message instanceof PubComp comp) {
      // 0x92: the broker no longer knows the identifier, so an earlier PUBREL completed the exchange (its PUBCOMP was
      // lost with a connection); the message was accepted with the PUBREC
      int code = comp.reasonCode() == ReasonCode.PACKET_IDENTIFIER_NOT_FOUND ? ReasonCode.SUCCESS : comp.reasonCode();
      settle(comp.packetId(), code, comp.reasonString());
    }
  }

  private void settle(int packetId, int reasonCode, String reason) {
    Outgoing outgoing = inflight.remove(packetId);
    if (outgoing == null) {
      return;
    }
    complete(outgoing, ReasonCode.isError(reasonCode) ? BraidException.refusal(reasonCode, "the publish to "
        + outgoing.publish.topic(), reason) : null);
    flush();
  }

  private void complete(Outgoing outgoing, BraidException failure) {
    if (outgoing.publish.qos() > 0) {
      // not committed for itself: it becomes durable with the next commit another change asks for. A restart before
      // that sends it again, which is harmless: a PUBREL the broker answers with 0x92, or a QoS 1 duplicate
      if (store.survivesRestart()) {
        store.removePublish(outgoing.packetId());
      }
      release(outgoing.packetId());
    }
    if (failure == null) {
      outgoing.promise.tryComplete();
    } else {
      outgoing.promise.tryFail(failure);
    }
  }

  /** Whether {@code streamId} is the publication stream of the current connection. */
  boolean owns(int streamId) {
    return streamId != 0 && streamId == stream;
  }

  /** The publication stream closed (a RESET): what was in flight goes again on a new one. */
  void onStreamClosed(int streamId) {
    if (owns(streamId)) {
      stream = 0;
      requeueInflight();
      flush();
    }
  }

  /** The client closed for good: every publish not acknowledged fails with {@code cause}. */
  void failAll(BraidException cause) {
    closedBy = cause;
    requeueInflight();
    for (Outgoing outgoing : outbox) {
      outgoing.promise.tryFail(cause);
    }
    releases.clear();
    for (Waiter waiter : waiting) {
      vertx.cancelTimer(waiter.timer());
      waiter.outgoing().promise.tryFail(cause);
    }
    outbox.clear();
    waiting.clear();
  }

  /** Publishes waiting to be written: for the broker's credit, a connection, or room in the outbox. */
  int queued() {
    return outbox.size() + waiting.size();
  }

  /** Runs {@code handler} each time the publishes waiting to be written are all written. */
  void drainHandler(Runnable handler) {
    this.drainHandler = handler;
  }

  /** Publishes not yet acknowledged (in flight and waiting). */
  int pending() {
    return inflight.size() + outbox.size() + waiting.size();
  }

  private int nextPacketId() {
    for (int tries = 0; tries < 65_535; tries++) {
      lastPacketId = lastPacketId % 65_535 + 1;
      if (usedPacketIds.add(lastPacketId)) {
        return lastPacketId;
      }
    }
    return 0;
  }

  private void release(int packetId) {
    if (packetId > 0) {
      usedPacketIds.remove(packetId);
    }
  }
}
