package io.braid.protocol.ws;

/** Receives the frames a {@link FrameDecoder} completes, in wire order. */
@FunctionalInterface
public interface FrameSink {
  void onFrame(WsFrame frame);
}
