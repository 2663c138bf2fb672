package io.braid.bench.load;

/**
 * What one load run does.
 *
 * @param connections WebSocket connections opened before the clock starts
 * @param messageSize payload bytes of every message
 * @param text whether messages are text (ASCII) rather than binary
 * @param inFlight messages outstanding per connection: each echo received sends the next
 * @param warmupSeconds seconds of load whose results are thrown away
 * @param durationSeconds seconds measured after the warm-up
 * @param clientEventLoops event loops of the load client's own Vert.x instance
 * @param compression whether the client offers permessage-deflate (and text messages are JSON-like, so that
 *     they compress as real ones do)
 */
record LoadSpec(int connections, int messageSize, boolean text, int inFlight, int warmupSeconds,
    int durationSeconds, int clientEventLoops, Compression compression) {

  LoadSpec withConnections(int n) {
    return new LoadSpec(n, messageSize, text, inFlight, warmupSeconds, durationSeconds, clientEventLoops, compression);
  }
}
