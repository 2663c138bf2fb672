package io.braid.protocol.ws;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Records what a {@link MessageAssembler} delivers, as {@code TEXT "Hello"}, {@code BINARY 0102},
 * {@code PING 48656c6c6f}, {@code PONG} (empty) or {@code CLOSE 1000 "bye"}, and checks on the way
 * that no message is larger than the decoder's message limit.
 */
final class MessageRecorder implements MessageSink {
  private final int maxMessageSize;
  final List<String> events = new ArrayList<>();

  MessageRecorder(WsLimits limits) {
    this.maxMessageSize = limits.maxMessageSize();
  }

  static String text(byte[] utf8) {
    return "TEXT " + Payloads.describeText(utf8);
  }

  static String binary(byte[] data) {
    return withPayload("BINARY", data);
  }

  static String ping(byte[] payload) {
    return withPayload("PING", payload);
  }

  static String pong(byte[] payload) {
    return withPayload("PONG", payload);
  }

  static String close(int code, String reason) {
    return "CLOSE " + code + " \"" + reason + '"';
  }

  private static String withPayload(String kind, byte[] payload) {
    String described = Payloads.describe(payload);
    return described.isEmpty() ? kind : kind + " " + described;
  }

  @Override
  public void onText(Buffer utf8) {
    checkSize(utf8);
    events.add(text(utf8.getBytes()));
  }

  @Override
  public void onBinary(Buffer data) {
    checkSize(data);
    events.add(binary(data.getBytes()));
  }

  @Override
  public void onPing(Buffer payload) {
    events.add(ping(payload.getBytes()));
  }

  @Override
  public void onPong(Buffer payload) {
    events.add(pong(payload.getBytes()));
  }

  @Override
  public void onClose(CloseReason reason) {
    events.add(close(reason.code(), reason.reason()));
  }

  private void checkSize(Buffer message) {
    if (message.length() > maxMessageSize) {
      throw new AssertionError("delivered a message of " + message.length() + " bytes past the limit of " + maxMessageSize);
    }
  }
}
