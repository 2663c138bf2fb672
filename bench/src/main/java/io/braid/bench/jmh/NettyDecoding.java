package io.braid.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Netty's RFC 6455 decoder as the peer: {@link WebSocket08FrameDecoder} configured like a server
 * (masked frames expected, no extensions), optionally followed by Netty's {@link Utf8FrameValidator},
 * in an {@link EmbeddedChannel} so no socket is involved.
 *
 * <p>Not thread safe: one instance per benchmark thread.
 */
final class NettyDecoding {
  private final EmbeddedChannel channel;

  NettyDecoding(boolean validateUtf8, int maxFramePayload) {
    WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
        .expectMaskedFrames(true)
        .allowMaskMismatch(false)
        .allowExtensions(false)
        .maxFramePayloadLength(maxFramePayload)
        .closeOnProtocolViolation(true)
        .withUTF8Validator(validateUtf8)
        .build();
    WebSocket08FrameDecoder decoder = new WebSocket08FrameDecoder(config);
    // The decoder itself does not look at text payloads: Netty validates UTF-8 in this handler,
    // which WebSocketServerProtocolHandler adds after the decoder when withUTF8Validator is set.
    channel = validateUtf8
        ? new EmbeddedChannel(decoder, new Utf8FrameValidator())
        : new EmbeddedChannel(decoder);
  }

  /**
   * Decodes all of {@code input} (left untouched: the channel gets a retained duplicate), consumes
   * each frame's payload and releases the frame.
   *
   * @return the number of frames decoded
   */
  int decode(ByteBuf input, Blackhole bh) {
    channel.writeInbound(input.retainedDuplicate());
    int frames = 0;
    WebSocketFrame frame;
    while ((frame = channel.readInbound()) != null) {
      bh.consume(frame.content());
      frame.release();
      frames++;
    }
    return frames;
  }

  /** Decodes {@code input} and returns copies of the payloads delivered, for checking the fixture. */
  java.util.List<byte[]> decodeToArrays(ByteBuf input) {
    channel.writeInbound(input.retainedDuplicate());
    java.util.List<byte[]> result = new java.util.ArrayList<>();
    WebSocketFrame frame;
    while ((frame = channel.readInbound()) != null) {
      byte[] b = new byte[frame.content().readableBytes()];
      frame.content().getBytes(frame.content().readerIndex(), b);
      result.add(b);
      frame.release();
    }
    return result;
  }

  void close() {
    channel.finishAndReleaseAll();
  }
}
