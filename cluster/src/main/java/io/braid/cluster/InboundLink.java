package io.braid.cluster;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of one link from another node: hands its messages to the {@link PeerTransport.Receiver} in
 * order, and acknowledges the ACKED ones, in order, as they are taken: an acknowledgement never overtakes an earlier
 * message still being made durable. Confined to the socket's event loop.
 */
final class InboundLink implements LinkFrames.FrameHandler {

  private static final Logger log = LoggerFactory.getLogger(InboundLink.class);

  private final NetSocket socket;
  private final Context context;
  private final PeerTransport.Receiver receiver;
  /** ACKED messages taken or being taken, in arrival order. */
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();

  private InboundLink(NetSocket socket, Context context, PeerTransport.Receiver receiver) {
    this.socket = socket;
    this.context = context;
    this.receiver = receiver;
  }

  /** Serves {@code socket}, a link another node opened. Call on the socket's event loop. */
  static void serve(NetSocket socket, PeerTransport.Receiver receiver) {
    InboundLink link = new InboundLink(socket, Vertx.currentContext(), receiver);
    socket.handler(LinkFrames.parser(link));
  }

  @Override
  public void onFrame(byte kind, long sequence, Buffer message) {
    if (kind == LinkFrames.ACK) {
      onMalformed("an acknowledgement from the sending side");
      return;
    }
    CompletableFuture<Void> taken;
    try {
      taken = receiver.receive(message);
    } catch (RuntimeException e) { // not taken: it must not be acknowledged with those after it
      taken = CompletableFuture.failedFuture(e);
    }
    if (kind == LinkFrames.ACKED) {
      Pending entry = new Pending(sequence, taken);
      pending.add(entry);
      taken.whenComplete((done, failure) -> context.runOnContext(v -> acknowledge()));
    }
  }

  /** Acknowledges the taken messages at the head, once for all of them. */
  private void acknowledge() {
    long last = 0;
    while (!pending.isEmpty() && pending.peek().taken.isDone()) {
      Pending head = pending.poll();
      if (head.taken.isCompletedExceptionally()) {
        // not taken (the store failed): the sender must not count it as taken, and the link cannot skip it
        log.warn("closing the link from {}: message {} could not be taken: {}", socket.remoteAddress(),
            head.sequence, causeOf(head.taken));
        socket.close();
        pending.clear();
        return;
      }
      last = head.sequence;
    }
    if (last > 0) {
      Buffer ack = Buffer.buffer(13);
      LinkFrames.appendAck(ack, last);
      socket.write(ack);
    }
  }

  private static String causeOf(CompletableFuture<Void> failed) {
    try {
      failed.join();
      return "no cause";
    } catch (CompletionException e) {
      return String.valueOf(e.getCause());
    } catch (RuntimeException e) {
      return e.toString();
    }
  }

  @Override
  public void onMalformed(String problem) {
    log.warn("closing the link from {}: {}", socket.remoteAddress(), problem);
    socket.close();
  }

  private record Pending(long sequence, CompletableFuture<Void> taken) {
  }
}
