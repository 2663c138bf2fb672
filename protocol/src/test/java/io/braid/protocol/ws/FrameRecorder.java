package io.braid.protocol.ws;

import java.util.ArrayList;
import java.util.List;

/**
 * Records the frames a decoder emits as {@code "TEXT fin 48656c6c6f"}, and checks on the way that
 * no frame is larger than the decoder's frame limit.
 */
final class FrameRecorder implements FrameSink {
  private final int maxFramePayload;
  final List<WsFrame> frames = new ArrayList<>();

  FrameRecorder(WsLimits limits) {
    this.maxFramePayload = limits.maxFramePayload();
  }

  @Override
  public void onFrame(WsFrame frame) {
    if (frame.payload().length() > maxFramePayload) {
      throw new AssertionError("emitted " + frame + " past the frame limit of " + maxFramePayload);
    }
    frames.add(frame);
  }

  List<String> described() {
    List<String> out = new ArrayList<>(frames.size());
    for (WsFrame frame : frames) {
      out.add(describe(frame));
    }
    return out;
  }

  static String describe(WsFrame frame) {
    String payload = Payloads.describe(frame.payload());
    return Opcode.name(frame.opcode()) + (frame.fin() ? " fin" : "") + (payload.isEmpty() ? "" : " " + payload);
  }
}
