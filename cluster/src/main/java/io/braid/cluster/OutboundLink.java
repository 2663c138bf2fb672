package io.braid.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending end of the link to one node: messages queue from any thread and go out in one write per turn of the
 * link's event loop; ACKED ones are numbered as they are written and completed by the node's acknowledgements. The
 * link connects at its first message and again after a broken connection while it has messages; messages written
 * on a connection that broke before they were acknowledged fail (whether the node took them cannot be known).
 *
 * <p>Bounded both ways: while the socket's write queue is full nothing more is written (the queue fills, and past
 * {@code maxQueued} offers are refused) instead of piling up in the socket; and a connection on which the oldest
 * message waits longer than {@code ackTimeoutMillis} for its acknowledgement is closed as half-open (a node that
 * vanished without closing it), failing what it carried, rather than waiting for the cluster to notice.
 *
 * <p><b>Threading:</b> {@link #offer} from any thread; everything else on {@link #context}.
 */
final class OutboundLink implements LinkFrames.FrameHandler {

  static final int MAX_QUEUED = 200_000;
  /** Far above a commit, a GC pause or a busy node's turn; far below the members' heartbeat timeout. */
  static final long ACK_TIMEOUT_MILLIS = 10_000;
  private static final int BATCH_BYTES = 64 * 1024;
  /** What the socket may hold unwritten before the link stops writing: 16 batches. */
  private static final int WRITE_QUEUE_BYTES = 16 * BATCH_BYTES;
  private static final long RECONNECT_MILLIS = 500;
  private static final Logger log = LoggerFactory.getLogger(OutboundLink.class);

  private final String node;
  private final Context context;
  private final Supplier<Future<NetSocket>> connector;
  private final int maxQueued;
  private final long ackTimeoutNanos;
  private final Queue<Outgoing> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  /** ACKED messages written on the current connection and not yet acknowledged, by sequence. */
  private final ArrayDeque<Written> unacknowledged = new ArrayDeque<>();
  private NetSocket socket;
  private long sequence;
  private boolean connecting;
  private boolean closed;
  private long ackTimer = -1;

  OutboundLink(String node, Context context, Supplier<Future<NetSocket>> connector, int maxQueued,
      long ackTimeoutMillis) {
    this.node = node;
    this.context = context;
    this.connector = connector;
    this.maxQueued = maxQueued;
    this.ackTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(ackTimeoutMillis);
  }

  /**
   * Queues {@code message}, with {@code taken} to complete on acknowledgement (null: none wanted). Returns false if
   * the queue is full or the message too large for a frame: it is not sent.
   */
  boolean offer(Buffer message, CompletableFuture<Void> taken) {
    if (message.length() + 9 > LinkFrames.MAX_FRAME) {
      // the receiver would close the link for it, failing every message in flight with it
      log.warn("not sending a message of {} bytes to node {}: frames carry at most {}", message.length(), node,
          LinkFrames.MAX_FRAME - 9);
      return false;
    }
    if (queued.incrementAndGet() > maxQueued) {
      queued.decrementAndGet();
      return false;
    }
    queue.add(new Outgoing(message, taken));
    if (scheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> drain());
    }
    return true;
  }

  private void drain() {
    scheduled.set(false); // a message queued from now on schedules another drain
    if (closed) {
      failQueued("node " + node + " left the cluster");
      return;
    }
    if (socket == null) {
      connect();
      return;
    }
    if (socket.writeQueueFull()) {
      return; // its drain handler drains again
    }
    Buffer batch = Buffer.buffer(Math.min(BATCH_BYTES, 256 * Math.max(1, queued.get())));
    for (Outgoing next = queue.poll(); next != null; next = queue.poll()) {
      queued.decrementAndGet();
      if (next.taken == null) {
        LinkFrames.appendMessage(batch, next.message);
      } else {
        unacknowledged.add(new Written(++sequence, next.taken, System.nanoTime()));
        LinkFrames.appendAcked(batch, sequence, next.message);
      }
      if (batch.length() >= BATCH_BYTES) {
        socket.write(batch);
        if (socket.writeQueueFull()) {
          return; // the rest stays queued until the socket drains
        }
        batch = Buffer.buffer(BATCH_BYTES);
      }
    }
    if (batch.length() > 0) {
      socket.write(batch);
    }
  }

  private void connect() {
    if (connecting || closed || socket != null) {
      return; // one connection at a time: a second would restart the sequence under the first one's messages
    }
    connecting = true;
    connector.get().onComplete(connected -> {
      connecting = false;
      if (closed) {
        if (connected.succeeded()) {
          connected.result().close();
        }
        return;
      }
      if (connected.failed()) {
        log.debug("cannot reach node {} yet: {}", node, connected.cause().getMessage());
        context.owner().setTimer(RECONNECT_MILLIS, id -> connect());
        return;
      }
      NetSocket opened = connected.result();
      opened.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
      socket = opened;
      sequence = 0;
      opened.handler(LinkFrames.parser(new LinkFrames.FrameHandler() {
        @Override
        public void onFrame(byte kind, long acknowledged, Buffer message) {
          if (socket == opened) { // an acknowledgement counts on the connection it came on only
            OutboundLink.this.onFrame(kind, acknowledged, message);
          }
        }

        @Override
        public void onMalformed(String problem) {
          OutboundLink.this.onMalformed(problem);
        }
      }));
      opened.closeHandler(v -> connectionLost(opened));
      opened.drainHandler(v -> {
        if (socket == opened) {
          drain();
        }
      });
      ackTimer = context.owner().setPeriodic(Math.max(1, TimeUnit.NANOSECONDS.toMillis(ackTimeoutNanos) / 4),
          id -> checkAcknowledgements(opened));
      drain();
    });
  }

  private void connectionLost(NetSocket lost) {
    if (socket != lost) {
      return;
    }
    socket = null;
    cancelAckTimer();
    failUnacknowledged("the link to node " + node + " broke");
    if (!closed && !queue.isEmpty()) {
      context.owner().setTimer(RECONNECT_MILLIS, id -> connect());
    }
  }

  /** Closes {@code checked} if its oldest message has waited too long for its acknowledgement. */
  private void checkAcknowledgements(NetSocket checked) {
    Written oldest = unacknowledged.peek();
    if (socket != checked || oldest == null || System.nanoTime() - oldest.writtenAtNanos < ackTimeoutNanos) {
      return;
    }
    log.warn("no acknowledgement from node {} in {} ms for message {} ({} waiting): closing the link", node,
        TimeUnit.NANOSECONDS.toMillis(ackTimeoutNanos), oldest.sequence, unacknowledged.size());
    checked.close();
  }

  private void cancelAckTimer() {
    if (ackTimer >= 0) {
      context.owner().cancelTimer(ackTimer);
      ackTimer = -1;
    }
  }

  @Override
  public void onFrame(byte kind, long acknowledged, Buffer message) {
    if (kind != LinkFrames.ACK) {
      onMalformed("a message from the receiving side");
      return;
    }
    while (!unacknowledged.isEmpty() && unacknowledged.peek().sequence <= acknowledged) {
      unacknowledged.poll().taken.complete(null);
    }
  }

  @Override
  public void onMalformed(String problem) {
    log.warn("closing the link to node {}: {}", node, problem);
    if (socket != null) {
      socket.close();
    }
  }

  /** The node left: fails what waits for it and closes the link for good. Call on {@link #context}. */
  void close() {
    closed = true;
    cancelAckTimer();
    failQueued("node " + node + " left the cluster");
    failUnacknowledged("node " + node + " left the cluster");
    if (socket != null) {
      socket.close();
    }
  }

  /** Messages queued and not written yet. Any thread. */
  int queued() {
    return queued.get();
  }

  /** Whether writing waits for the socket to drain. For tests: any thread, a snapshot. */
  boolean waitsForDrain() {
    NetSocket current = socket;
    return current != null && current.writeQueueFull();
  }

  private void failQueued(String why) {
    int dropped = 0;
    for (Outgoing next = queue.poll(); next != null; next = queue.poll()) {
      queued.decrementAndGet();
      dropped++;
      if (next.taken != null) {
        next.taken.completeExceptionally(new IllegalStateException(why));
      }
    }
    if (dropped > 0) {
      log.info("dropped {} messages queued for node {}: {}", dropped, node, why);
    }
  }

  private void failUnacknowledged(String why) {
    for (Written written = unacknowledged.poll(); written != null; written = unacknowledged.poll()) {
      written.taken.completeExceptionally(new IllegalStateException(why));
    }
  }

  private record Outgoing(Buffer message, CompletableFuture<Void> taken) {
  }

  private record Written(long sequence, CompletableFuture<Void> taken, long writtenAtNanos) {
  }
}
