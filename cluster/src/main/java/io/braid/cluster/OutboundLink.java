package io.braid.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * <p><b>Threading:</b> {@link #offer} from any thread; everything else on {@link #context}.
 */
final class OutboundLink implements LinkFrames.FrameHandler {

  static final int MAX_QUEUED = 200_000;
  private static final int BATCH_BYTES = 64 * 1024;
  private static final long RECONNECT_MILLIS = 500;
  private static final Logger log = LoggerFactory.getLogger(OutboundLink.class);

  private final String node;
  private final Context context;
  private final Supplier<Future<NetSocket>> connector;
  private final Queue<Outgoing> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  /** ACKED messages written on the current connection and not yet acknowledged, by sequence. */
  private final ArrayDeque<Written> unacknowledged = new ArrayDeque<>();
  private NetSocket socket;
  private long sequence;
  private boolean connecting;
  private boolean closed;

  OutboundLink(String node, Context context, Supplier<Future<NetSocket>> connector) {
    this.node = node;
    this.context = context;
    this.connector = connector;
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
    if (queued.incrementAndGet() > MAX_QUEUED) {
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
    Buffer batch = Buffer.buffer(Math.min(BATCH_BYTES, 256 * Math.max(1, queued.get())));
    for (Outgoing next = queue.poll(); next != null; next = queue.poll()) {
      queued.decrementAndGet();
      if (next.taken == null) {
        LinkFrames.appendMessage(batch, next.message);
      } else {
        unacknowledged.add(new Written(++sequence, next.taken));
        LinkFrames.appendAcked(batch, sequence, next.message);
      }
      if (batch.length() >= BATCH_BYTES) {
        socket.write(batch);
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
      drain();
    });
  }

  private void connectionLost(NetSocket lost) {
    if (socket != lost) {
      return;
    }
    socket = null;
    failUnacknowledged("the link to node " + node + " broke");
    if (!closed && !queue.isEmpty()) {
      context.owner().setTimer(RECONNECT_MILLIS, id -> connect());
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
    failQueued("node " + node + " left the cluster");
    failUnacknowledged("node " + node + " left the cluster");
    if (socket != null) {
      socket.close();
    }
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

  private record Written(long sequence, CompletableFuture<Void> taken) {
  }
}
