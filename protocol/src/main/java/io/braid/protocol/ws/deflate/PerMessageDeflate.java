package io.braid.protocol.ws.deflate;

import io.braid.protocol.codec.Role;
import io.braid.protocol.ws.FrameDecoder;
import io.braid.protocol.ws.FrameEncoder;
import io.braid.protocol.ws.FrameSink;
import io.braid.protocol.ws.Opcode;
import io.braid.protocol.ws.WsLimits;
import io.vertx.core.buffer.Buffer;

/**
 * The permessage-deflate extension (RFC 7692) on one connection, once negotiated: inflates what
 * the peer compressed and compresses what this end sends. Control frames are never compressed; of a
 * data message, only the first frame carries RSV1.
 *
 * <p>A message shorter than {@link DeflateConfig#minMessageBytes()} goes uncompressed, and so does
 * one that compression would not shrink, where no window outlives the message. Call {@link
 * #close()} when the connection closes, to free zlib's native memory at once.
 *
 * <p>Not thread safe: confine to the connection's event loop.
 */
public final class PerMessageDeflate {
  private final DeflateParameters parameters;
  private final Role role;
  private final int minMessageBytes;
  private final MessageDeflater deflater;
  private final MessageInflater inflater;
  private boolean compressingMessage;

  /**
   * @param agreed the parameters of the handshake's response
   * @param role this end's role
   * @param maxMessageBytes the most an incoming message may inflate to
   */
  public PerMessageDeflate(DeflateParameters agreed, Role role, DeflateConfig config, int maxMessageBytes) {
    Role peer = role == Role.SERVER ? Role.CLIENT : Role.SERVER;
    this.parameters = agreed;
    this.role = role;
    this.minMessageBytes = config.minMessageBytes();
    this.deflater = new MessageDeflater(config.level(),
        config.contextTakeover() && !agreed.noContextTakeover(role), agreed.windowBits(role));
    this.inflater = new MessageInflater(!agreed.noContextTakeover(peer), maxMessageBytes);
  }

  public DeflateParameters parameters() {
    return parameters;
  }

  /**
   * A sink that inflates compressed messages before passing them to {@code next}. Give it to a
   * decoder that {@linkplain io.braid.protocol.ws.FrameDecoder#allowCompressedMessages() allows}
   * compressed messages.
   */
  public FrameSink inflating(FrameSink next) {
    return new InflatingFrameSink(next, inflater);
  }

  /**
   * This end's in-place decoder ({@link FrameDecoder#unmaskingInPlace}) with compressed messages allowed and
   * inflated before they reach {@code next}.
   */
  public FrameDecoder decoderInPlace(WsLimits limits, FrameSink next) {
    return FrameDecoder.unmaskingInPlace(role, limits, inflating(next)).allowCompressedMessages();
  }

  /** Encodes one frame, compressing it if it belongs to a data message that is compressed. */
  public Buffer encode(FrameEncoder encoder, int opcode, boolean fin, Buffer payload) {
    if (Opcode.isControl(opcode)) {
      return encoder.encode(opcode, fin, payload);
    }
    boolean first = opcode != Opcode.CONTINUATION;
    if (first) {
      compressingMessage = !fin || payload.length() >= minMessageBytes;
    }
    if (!compressingMessage) {
      return encoder.encode(opcode, fin, payload);
    }
    Buffer compressed = deflater.compress(payload, fin);
    if (first && fin && !deflater.keepsContext() && compressed.length() >= payload.length()) {
      return encoder.encode(opcode, true, payload); // incompressible, and nothing refers back to it
    }
    return encoder.encode(opcode, fin, first, compressed);
  }

  /** Frees the compressor and decompressor. */
  public void close() {
    deflater.close();
    inflater.close();
  }
}
