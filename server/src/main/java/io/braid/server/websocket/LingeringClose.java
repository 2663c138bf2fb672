package io.braid.server.websocket;

import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.TimeUnit;

/**
 * Ends a connection whose peer may still be sending: what was written goes out, then the output
 * shuts down (TCP FIN), and what the peer still sends is read and discarded until it closes its
 * side or the linger time passes.
 *
 * <p>Why not close at once: bytes arriving at a closed socket draw a reset, and a reset makes the
 * peer's kernel discard what it had received but not yet read, such as the close frame or the
 * DISCONNECT that says why the connection ends (HTTP servers' "lingering close" for the same
 * reason). Call on the socket's event loop.
 */
public final class LingeringClose {

  private LingeringClose() {
  }

  /** Starts the lingering close of {@code socket}; its close handler runs when it is over. */
  public static void close(NetSocket socket, long lingerMillis) {
    if (!(socket instanceof NetSocketInternal internal)
        || !(internal.channelHandlerContext().channel() instanceof DuplexChannel channel)) {
      socket.close();
      return;
    }
    socket.handler(discarded -> { });
    socket.resume(); // the peer's end must be read, even where reading was paused
    // after the last write: Netty fails writes still queued when the output shuts down
    socket.write(Buffer.buffer()).onComplete(written -> {
      if (channel.isActive()) {
        channel.shutdownOutput();
      }
    });
    ScheduledFuture<?> deadline = channel.eventLoop().schedule(() -> {
      socket.close();
    }, lingerMillis, TimeUnit.MILLISECONDS);
    channel.closeFuture().addListener(closed -> deadline.cancel(false)); // most peers close long before
  }
}
