package io.braid.protocol.mux;

/**
 * One stream's state and credit in a {@link Multiplexer}; streams are few per connection and touched on one thread.
 */
final class MuxStream {
  final int id;
  StreamState state = StreamState.OPEN;
  int sendWindow;
  int receiveWindow;
  int consumed;

  MuxStream(int id, int sendWindow, int receiveWindow) {
    this.id = id;
    this.sendWindow = sendWindow;
    this.receiveWindow = receiveWindow;
  }
}
