package io.braid.bench.load;

import io.braid.protocol.ws.deflate.DeflateConfig;

/**
 * WebSocket compression (permessage-deflate) in a benchmark: the client offers it, each server
 * accepts it. Braid compresses at level 6, as Netty does; {@code on} is Braid's default (the server
 * resets its compressor after each message), {@code takeover} keeps the window between messages.
 * Vert.x's server (Netty) keeps its window in both.
 */
enum Compression {
  off, on, takeover;

  /** Braid's server settings for this mode, or null for none. */
  DeflateConfig braidConfig() {
    return switch (this) {
      case off -> null;
      case on -> DeflateConfig.DEFAULT;
      case takeover -> new DeflateConfig(DeflateConfig.DEFAULT.level(), DeflateConfig.DEFAULT.minMessageBytes(), true);
    };
  }

  boolean enabled() {
    return this != off;
  }
}
