package io.braid.protocol.ws;

import io.braid.protocol.codec.Bytes;
import io.braid.protocol.codec.Role;
import io.braid.protocol.codec.Utf8Validator;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * An incremental decoder of WebSocket frames (RFC 6455 §5). Input may be split at any byte and may
 * hold several frames; every complete frame is handed to the {@link FrameSink} unmasked and fully
 * validated:
 *
 * <ul>
 *   <li>masking matches the {@link Role} (§5.1), RSV bits are clear (§5.2) but for RSV1 on the
 *       first frame of a data message once compression is allowed (RFC 7692 §6), the opcode is
 *       known;
 *   <li>control frames are final and at most 125 bytes (§5.5); a close payload is empty or a valid
 *       code plus a UTF-8 reason (§5.5.1, §7.4);
 *   <li>data frames are in sequence: no continuation without a message, no new message inside a
 *       fragmented one (§5.4);
 *   <li>text messages are valid UTF-8, checked as each byte arrives so an invalid one fails the
 *       connection at once, even mid-frame (§8.1); a compressed one is checked after inflating,
 *       by whoever inflates it;
 *   <li>frame and message sizes are within {@link WsLimits}, checked from the header before any
 *       payload is buffered.
 * </ul>
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-------+-+-------------+-------------------------------+
 * |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 * |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 * |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 * | |1|2|3|       |K|             |                               |
 * +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 * |     Extended payload length continued, if payload len == 127  |
 * + - - - - - - - - - - - - - - - +-------------------------------+
 * |                               |Masking-key, if MASK set to 1  |
 * +-------------------------------+-------------------------------+
 * | Masking-key (continued)       |          Payload Data         |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Any violation throws {@link WsProtocolException} with the close code to fail the connection
 * with; the decoder then ignores all further input. Not thread safe: confine an instance to the
 * connection's event loop.
 */
public final class FrameDecoder {
  static final int B0_FLAG_FIN = 0x80;
  static final int B0_MASK_RSV = 0x70;
  static final int B0_FLAG_RSV1 = 0x40;
  static final int B0_MASK_OPCODE = 0x0F;
  static final int B1_FLAG_MASK = 0x80;
  static final int B1_MASK_LENGTH = 0x7F;
  static final int PAYLOAD_SHORT_MAX = 125;
  static final int PAYLOAD_16 = 126;
  static final int PAYLOAD_64 = 127;

  /** Payloads larger than this grow as their bytes arrive instead of being allocated up front. */
  private static final int EAGER_ALLOCATION_LIMIT = 64 * 1024;

  private static final int NO_MESSAGE = -1;

  private enum State { HEADER, PAYLOAD, STOPPED }

  private final boolean expectMasked;
  private final int maxFramePayload;
  private final int maxMessageSize;
  private final FrameSink sink;
  private boolean compressionAllowed;

  private State state = State.HEADER;

  // Header bytes of the current frame while they arrive (2 + 8 + 4 at most).
  private final byte[] header = new byte[14];
  private int headerFill;

  // The frame whose payload is arriving.
  private boolean fin;
  private int opcode;
  private boolean compressed;
  private boolean masked;
  private int maskKey;
  private boolean validateUtf8;
  private byte[] payload;
  private int payloadLength;
  private int payloadFill;

  // The data message in progress, across fragments.
  private int messageOpcode = NO_MESSAGE;
  private boolean messageCompressed;
  private long messageLength;
  private final Utf8Validator utf8 = new Utf8Validator();

  // With in-place decoding: the heap array behind the input being decoded, or null.
  private final boolean inPlace;
  private byte[] inputArray;
  private int inputBase;

  /** A decoder that copies every payload out of its input and never modifies the input. */
  public FrameDecoder(Role role, WsLimits limits, FrameSink sink) {
    this(role, limits, sink, false);
  }

  private FrameDecoder(Role role, WsLimits limits, FrameSink sink, boolean inPlace) {
    this.expectMasked = role.expectsMaskedInput();
    this.maxFramePayload = limits.maxFramePayload();
    this.maxMessageSize = limits.maxMessageSize();
    this.sink = sink;
    this.inPlace = inPlace;
  }

  /**
   * A decoder that takes ownership of every buffer passed to {@link #decode}: a payload that lies
   * whole in one input buffer is unmasked in place and delivered as a slice of that buffer, with no
   * allocation and no copy. Only for input that nobody else reads or keeps, such as the private heap
   * copy of each read that a Vert.x {@code NetSocket} hands its handler. A delivered payload keeps
   * its whole input buffer reachable for as long as it is held.
   */
  public static FrameDecoder unmaskingInPlace(Role role, WsLimits limits, FrameSink sink) {
    return new FrameDecoder(role, limits, sink, true);
  }

  /**
   * Lets the first frame of a data message set RSV1, the compressed bit of permessage-deflate (RFC
   * 7692 §6). Call once the extension is negotiated, before decoding. A compressed text message is
   * not checked for UTF-8 here: its wire bytes are not text until inflated.
   */
  public FrameDecoder allowCompressedMessages() {
    compressionAllowed = true;
    return this;
  }

  /**
   * Decodes all of {@code in}, emitting each frame it completes. Bytes of an incomplete frame are
   * kept for the next call.
   *
   * @throws WsProtocolException when the input violates RFC 6455 or a limit
   */
  public void decode(Buffer in) {
    int pos = 0;
    int end = in.length();
    inputArray = null;
    if (inPlace && in instanceof BufferInternal internal) {
      ByteBuf buf = internal.getByteBuf();
      if (buf.hasArray()) {
        inputArray = buf.array();
        inputBase = buf.arrayOffset() + buf.readerIndex();
      }
    }
    try {
      while (pos < end && state != State.STOPPED) {
        if (state == State.HEADER) {
          pos = readHeader(in, pos, end);
        } else {
          pos = readPayload(in, pos, end);
        }
      }
    } catch (WsProtocolException e) {
      stop();
      throw e;
    } finally {
      inputArray = null;
    }
  }

  /**
   * Stops decoding: later input is ignored. Called on failure, and by the owner once a close
   * frame arrived, since nothing may follow it (§5.5.1).
   */
  public void stop() {
    state = State.STOPPED;
    payload = null;
  }

  /** Whether a data message has begun and its final fragment has not arrived yet. */
  public boolean isInsideMessage() {
    return messageOpcode != NO_MESSAGE;
  }

  private int readHeader(Buffer in, int pos, int end) {
    if (headerFill == 0 && end - pos >= 2) {
      int size = headerSize(in.getByte(pos + 1));
      if (end - pos >= size) {
        in.getBytes(pos, pos + size, header, 0);
        headerFill = size;
        beginFrame();
        return pos + size;
      }
    }
    // Slow path: the header is split across reads.
    while (pos < end) {
      header[headerFill++] = in.getByte(pos++);
      if (headerFill == 2) {
        checkFirstBytes(header[0], header[1]);
      }
      if (headerFill >= 2 && headerFill == headerSize(header[1])) {
        beginFrame();
        break;
      }
    }
    return pos;
  }

  private static int headerSize(byte b1) {
    int lengthBits = b1 & B1_MASK_LENGTH;
    int size = 2;
    if (lengthBits == PAYLOAD_16) {
      size += 2;
    } else if (lengthBits == PAYLOAD_64) {
      size += 8;
    }
    return (b1 & B1_FLAG_MASK) != 0 ? size + 4 : size;
  }

  /** The rules that the first two bytes alone can break, checked as soon as they arrive. */
  private void checkFirstBytes(byte b0, byte b1) {
    int op = b0 & B0_MASK_OPCODE;
    if (!Opcode.isKnown(op)) {
      throw protocolError("reserved opcode 0x" + Integer.toHexString(op));
    }
    checkRsv(b0 & B0_MASK_RSV, op);
    boolean isMasked = (b1 & B1_FLAG_MASK) != 0;
    if (expectMasked && !isMasked) {
      throw protocolError("client frames must be masked");
    }
    if (!expectMasked && isMasked) {
      throw protocolError("server frames must not be masked");
    }
    if (Opcode.isControl(op)) {
      if ((b0 & B0_FLAG_FIN) == 0) {
        throw protocolError("control frames must not be fragmented");
      }
      if ((b1 & B1_MASK_LENGTH) > PAYLOAD_SHORT_MAX) {
        throw protocolError("control frame payload must be at most 125 bytes");
      }
    } else if (op == Opcode.CONTINUATION) {
      if (messageOpcode == NO_MESSAGE) {
        throw protocolError("continuation frame without a message to continue");
      }
    } else if (messageOpcode != NO_MESSAGE) {
      throw protocolError("new data frame inside a fragmented message");
    }
  }

  private void checkRsv(int rsv, int op) {
    if (rsv == 0) {
      return;
    }
    if (rsv != B0_FLAG_RSV1 || !compressionAllowed) {
      throw protocolError(compressionAllowed ? "RSV2 and RSV3 must be 0" : "RSV bits must be 0 without a negotiated extension");
    }
    if (Opcode.isControl(op)) {
      throw protocolError("control frames must not be compressed (RSV1)");
    }
    if (op == Opcode.CONTINUATION) {
      throw protocolError("RSV1 may be set only on the first frame of a compressed message");
    }
  }

  private void beginFrame() {
    byte b0 = header[0];
    byte b1 = header[1];
    checkFirstBytes(b0, b1);
    fin = (b0 & B0_FLAG_FIN) != 0;
    opcode = b0 & B0_MASK_OPCODE;
    compressed = (b0 & B0_FLAG_RSV1) != 0;
    masked = (b1 & B1_FLAG_MASK) != 0;
    if (opcode == Opcode.TEXT || opcode == Opcode.BINARY) {
      messageCompressed = compressed;
    }

    long length = b1 & B1_MASK_LENGTH;
    int next = 2;
    if (length == PAYLOAD_16) {
      length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
      next = 4;
    } else if (length == PAYLOAD_64) {
      length = readLong(header, 2);
      if (length < 0) {
        throw protocolError("64-bit payload length must have its most significant bit clear");
      }
      next = 10;
    }
    if (masked) {
      maskKey = ((header[next] & 0xFF) << 24) | ((header[next + 1] & 0xFF) << 16)
          | ((header[next + 2] & 0xFF) << 8) | (header[next + 3] & 0xFF);
    }
    headerFill = 0;

    if (length > maxFramePayload) {
      throw new WsProtocolException(CloseCodes.MESSAGE_TOO_BIG,
          "frame payload of " + length + " bytes exceeds the limit of " + maxFramePayload);
    }
    if (!Opcode.isControl(opcode) && messageLength + length > maxMessageSize) {
      throw new WsProtocolException(CloseCodes.MESSAGE_TOO_BIG,
          "message of at least " + (messageLength + length) + " bytes exceeds the limit of " + maxMessageSize);
    }
    payloadLength = (int) length;
    payloadFill = 0;
    validateUtf8 = !messageCompressed
        && (opcode == Opcode.TEXT || (opcode == Opcode.CONTINUATION && messageOpcode == Opcode.TEXT));
    if (payloadLength == 0) {
      completeFrame(Buffer.buffer(0), EMPTY, 0, 0);
    } else {
      // Allocated when the first payload bytes arrive, unless they can be used in place.
      payload = null;
      state = State.PAYLOAD;
    }
  }

  private static final byte[] EMPTY = new byte[0];

  private int readPayload(Buffer in, int pos, int end) {
    if (payload == null) {
      if (inputArray != null && end - pos >= payloadLength) {
        return readPayloadInPlace(in, pos);
      }
      payload = new byte[Math.min(payloadLength, EAGER_ALLOCATION_LIMIT)];
    }
    int n = Math.min(end - pos, payloadLength - payloadFill);
    ensureCapacity(payloadFill + n);
    in.getBytes(pos, pos + n, payload, payloadFill);
    if (masked) {
      Masking.mask(payload, payloadFill, n, maskKey, payloadFill);
    }
    if (validateUtf8 && !utf8.update(payload, payloadFill, n)) {
      throw new WsProtocolException(CloseCodes.INVALID_PAYLOAD, "text message is not valid UTF-8");
    }
    payloadFill += n;
    if (payloadFill == payloadLength) {
      byte[] bytes = payload;
      payload = null;
      completeFrame(Bytes.wrap(bytes), bytes, 0, bytes.length);
    }
    return pos + n;
  }

  /** The whole payload is in the input: unmask and validate it there, deliver a slice. */
  private int readPayloadInPlace(Buffer in, int pos) {
    int offset = inputBase + pos;
    if (masked) {
      Masking.mask(inputArray, offset, payloadLength, maskKey, 0);
    }
    if (validateUtf8 && !utf8.update(inputArray, offset, payloadLength)) {
      throw new WsProtocolException(CloseCodes.INVALID_PAYLOAD, "text message is not valid UTF-8");
    }
    completeFrame(in.slice(pos, pos + payloadLength), inputArray, offset, payloadLength);
    return pos + payloadLength;
  }

  private void ensureCapacity(int needed) {
    if (needed > payload.length) {
      int capacity = (int) Math.min(payloadLength, Math.max((long) payload.length * 2, needed));
      payload = java.util.Arrays.copyOf(payload, capacity);
    }
  }

  /** Delivers a frame whose unmasked payload is {@code bytes[offset, offset + length)}. */
  private void completeFrame(Buffer payloadBuffer, byte[] bytes, int offset, int length) {
    state = State.HEADER;
    if (opcode == Opcode.CLOSE) {
      checkClosePayload(bytes, offset, length);
    } else if (!Opcode.isControl(opcode)) {
      trackMessage(length);
    }
    sink.onFrame(new WsFrame(fin, opcode, compressed, payloadBuffer));
  }

  private void trackMessage(int frameLength) {
    if (!fin) {
      if (opcode != Opcode.CONTINUATION) {
        messageOpcode = opcode;
      }
      messageLength += frameLength;
      return;
    }
    if (validateUtf8 && !utf8.isComplete()) {
      throw new WsProtocolException(CloseCodes.INVALID_PAYLOAD, "text message ends inside a UTF-8 sequence");
    }
    messageOpcode = NO_MESSAGE;
    messageLength = 0;
    utf8.reset();
  }

  private static void checkClosePayload(byte[] bytes, int offset, int length) {
    if (length == 0) {
      return;
    }
    if (length == 1) {
      throw protocolError("close frame payload must be empty or at least 2 bytes");
    }
    int code = ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
    if (!CloseCodes.isValidOnWire(code)) {
      throw protocolError("invalid close code " + code);
    }
    if (!Utf8Validator.isValid(bytes, offset + 2, length - 2)) {
      throw protocolError("close reason is not valid UTF-8");
    }
  }

  private static long readLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }

  private static WsProtocolException protocolError(String reason) {
    return new WsProtocolException(CloseCodes.PROTOCOL_ERROR, reason);
  }
}
