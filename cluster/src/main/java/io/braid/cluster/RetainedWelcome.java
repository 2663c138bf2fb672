package io.braid.cluster;

import io.braid.pubsub.message.ApplicationMessage;
import io.vertx.core.buffer.Buffer;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends a node that joined the retained messages of this one, each acknowledged, with at most {@code window} waiting
 * for their acknowledgement at a time: however many there are, the link's limit never drops one, and a link that
 * breaks stops the welcome instead of losing its rest unnoticed.
 *
 * <p><b>Threading:</b> {@link #start} from any thread; later sends run where acknowledgements complete.
 */
final class RetainedWelcome {

  /** Well under the link's limit, and enough to keep a link busy over a round trip. */
  static final int WINDOW = 10_000;

  private final PeerTransport transport;
  private final String node;
  private final Iterator<ApplicationMessage> messages;
  private final int total;
  private final AtomicInteger acknowledged = new AtomicInteger();
  private final CompletableFuture<Integer> done = new CompletableFuture<>();

  RetainedWelcome(PeerTransport transport, String node, List<ApplicationMessage> retained) {
    this.transport = transport;
    this.node = node;
    this.messages = retained.iterator();
    this.total = retained.size();
  }

  /**
   * Starts sending at most {@code window} at once; completes with the number sent once every one is acknowledged, or
   * fails with the first that could not be delivered (nothing more is sent then).
   */
  CompletableFuture<Integer> start(int window) {
    if (total == 0) {
      done.complete(0);
    }
    for (int i = 0; i < window && sendNext(); i++) {
      // the window's first messages; each acknowledgement sends one more
    }
    return done;
  }

  private boolean sendNext() {
    ApplicationMessage next;
    synchronized (messages) {
      if (done.isDone() || !messages.hasNext()) {
        return false;
      }
      next = messages.next();
    }
    Buffer frame = PeerMessage.encodeRetainedOnly(PeerMessage.messageBytes(next));
    transport.sendAcknowledged(node, frame).whenComplete((taken, failure) -> {
      if (failure != null) {
        done.completeExceptionally(failure);
      } else if (acknowledged.incrementAndGet() == total) {
        done.complete(total);
      } else {
        sendNext();
      }
    });
    return true;
  }
}
