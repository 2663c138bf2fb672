package io.braid.server.websocket;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The port a listener's instances bind so that they share it, one per event loop. Vert.x shares a fixed port, or a
 * random one named by a negative number; for port 0 each instance would bind a random port of its own, and every
 * client would reach the one port the broker announces, served by a single event loop.
 *
 * <p>Thread safe.
 */
public final class SharedPort {

  /** Vert.x keys a shared random port by its negative number: each listener needs its own, or two would merge. */
  private static final AtomicInteger NEXT_RANDOM = new AtomicInteger(-1);

  private SharedPort() {
  }

  /** What every instance of one listener binds for {@code port}: the port itself, or for 0 a random port of its own. */
  public static int forListener(int port) {
    return port == 0 ? NEXT_RANDOM.getAndDecrement() : port;
  }
}
