package io.braid.protocol.message;

import io.braid.protocol.codec.MalformedException;
import io.vertx.core.buffer.Buffer;

/**
 * The binary message codec of subprotocol {@code braid.v1} (docs/PROTOCOL.md, "Messages"). A message
 * is a type byte, a varint of flags (presence bits and booleans; unknown bits must be 0), then its
 * fields in a fixed order, optional ones only when their flag is set:
 *
 * <pre>
 *   u8 type | varint flags | fields... | (PUBLISH: payload = the rest, no length prefix)
 * </pre>
 *
 * <p>Decoding never copies a payload: PUBLISH's payload, PING's data and every {@code bytes} field
 * are slices of the input. Any input that is not exactly one well-formed message fails with a
 * {@link MalformedException} naming the field ({@code "PUBLISH.topic"}, {@code
 * "CONNECT.will.qos"}) and the rule; no other exception escapes {@link #decode}.
 *
 * <p>Encoding computes the exact size first and writes straight into one buffer. Strings holding a
 * lone surrogate (no UTF-8 form) are refused with an {@link IllegalArgumentException}.
 *
 * <p>Stateless and thread safe.
 */
public final class BinaryMessageCodec implements MessageCodec {
  public static final String SUBPROTOCOL = "braid.v1";
  public static final BinaryMessageCodec INSTANCE = new BinaryMessageCodec();

  private BinaryMessageCodec() {}

  @Override
  public String subprotocol() {
    return SUBPROTOCOL;
  }

  // ---------------------------------------------------------------------------------------------
  // Encoding

  @Override
  public Buffer encode(BraidMessage message) {
    return BinaryMessageEncoder.encode(message);
  }

  @Override
  public Buffer encode(BraidMessage message, Buffer out) {
    return BinaryMessageEncoder.encode(message, out);
  }

  /** The exact number of bytes {@link #encode} produces for {@code message}. */
  public int encodedSize(BraidMessage message) {
    return BinaryMessageEncoder.encodedSize(message);
  }

  // ---------------------------------------------------------------------------------------------
  // Decoding

  @Override
  public BraidMessage decode(Buffer payload) {
    return BinaryMessageDecoder.decode(payload);
  }

  /**
   * Decodes the one message held by {@code buffer} from {@code start} to {@code end}; the bytes
   * fields of the result are slices of {@code buffer}.
   *
   * @throws MalformedException naming the field and the broken rule
   */
  public BraidMessage decode(Buffer buffer, int start, int end) {
    return BinaryMessageDecoder.decode(buffer, start, end);
  }
}
