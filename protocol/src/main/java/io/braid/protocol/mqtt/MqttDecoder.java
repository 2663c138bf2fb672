package io.braid.protocol.mqtt;

import io.braid.protocol.codec.Bytes;
import io.braid.protocol.message.ReasonCode;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * An incremental decoder of MQTT 3.1.1 and 5 control packets: input may be split at any byte and hold several
 * packets; each complete packet goes to the sink. The fixed header is checked as it arrives (type, flags, direction,
 * a remaining length of at most four bytes, the packet's size against the limit) before any body is buffered, and a
 * large body's buffer grows as its bytes arrive, so a header announcing 256 MB costs nothing until they come.
 *
 * <p>A packet that lies whole in one heap input buffer is read where it lies, and its payload (and binary fields)
 * are slices of that buffer: pass buffers that nobody modifies afterwards, such as the private copy of each read a
 * Vert.x {@code NetSocket} hands its handler.
 *
 * <p>On the server's side the first packet must be CONNECT, which sets the version every later packet is read in; a
 * second CONNECT is a protocol error. On the client's side call {@link #version(MqttVersion)} with the version of the
 * CONNECT sent. After a {@link MqttDecodeException} the decoder ignores all further input.
 *
 * <p>Not thread safe: confine an instance to its connection's event loop.
 */
public final class MqttDecoder {
  /** Bodies up to this size are allocated when their header is complete; larger ones grow as bytes arrive. */
  private static final int EAGER_ALLOCATION_LIMIT = 64 * 1024;

  private final boolean server;
  private final int maxPacketSize;
  private MqttVersion version;
  /** The version a CONNECT named, read before the rest of it: known even when the rest is malformed. */
  private MqttVersion connectVersion;
  private boolean stopped;

  // the fixed header as it arrives: one byte of type and flags, one to four of remaining length
  private int headerFill;
  private int typeAndFlags;
  private int remainingLength;
  private int lengthBytes;
  // the body of the packet whose header is complete
  private boolean inBody;
  private byte[] body;
  private int bodyFill;
  // the heap array behind the input being decoded, or null
  private byte[] inputArray;
  private int inputBase;

  private MqttDecoder(boolean server, int maxPacketSize) {
    this.server = server;
    this.maxPacketSize = maxPacketSize;
  }

  /** Decodes what clients send, packets of at most {@code maxPacketSize} bytes (the whole packet, §3.1.2.11.4). */
  public static MqttDecoder forServer(int maxPacketSize) {
    return new MqttDecoder(true, maxPacketSize);
  }

  /** Decodes what servers send; the version is that of the CONNECT the client sent. */
  public static MqttDecoder forClient(MqttVersion version, int maxPacketSize) {
    MqttDecoder decoder = new MqttDecoder(false, maxPacketSize);
    decoder.version = version;
    return decoder;
  }

  /**
   * The version a CONNECT named, if it named one Braid speaks, even if the rest of the packet was malformed: the
   * version to answer it in (MQTT 5: CONNACK with the reason code). Null before a CONNECT.
   */
  public MqttVersion connectVersion() {
    return connectVersion;
  }

  /** The version the CONNECT named, or null before it came. */
  public MqttVersion version() {
    return version;
  }

  /**
   * Decodes all of {@code in}, handing each complete packet to {@code sink}.
   *
   * @throws MqttDecodeException with the reason code to answer, at the first rule broken
   */
  public void decode(Buffer in, Consumer<MqttPacket> sink) {
    int pos = 0;
    int end = in.length();
    inputArray = null;
    if (in instanceof BufferInternal internal) {
      ByteBuf buf = internal.getByteBuf();
      if (buf.hasArray()) {
        inputArray = buf.array();
        inputBase = buf.arrayOffset() + buf.readerIndex();
      }
    }
    try {
      while (pos < end && !stopped) {
        pos = inBody ? readBody(in, pos, end, sink) : readHeader(in, pos, end, sink);
      }
    } catch (MqttDecodeException e) {
      stopped = true;
      body = null;
      throw e;
    } finally {
      inputArray = null;
    }
  }

  private int readHeader(Buffer in, int pos, int end, Consumer<MqttPacket> sink) {
    while (pos < end) {
      int b = in.getByte(pos++) & 0xFF;
      if (headerFill++ == 0) {
        typeAndFlags = b;
        checkTypeAndFlags(b);
        continue;
      }
      remainingLength |= (b & 0x7F) << (7 * lengthBytes);
      lengthBytes++;
      if ((b & 0x80) != 0) {
        if (lengthBytes == 4) {
          throw MqttDecodeException.malformed("a remaining length of more than four bytes");
        }
        continue;
      }
      return beginBody(in, pos, end, sink);
    }
    return pos;
  }

  private void checkTypeAndFlags(int b) {
    MqttPacketType type = MqttPacketType.ofCode(b >>> 4);
    if (type == null) {
      throw MqttDecodeException.malformed("packet type 0 is reserved");
    }
    if (type != MqttPacketType.PUBLISH && (b & 0x0F) != type.requiredFlags()) {
      throw MqttDecodeException.malformed(type + " with flags 0x" + Integer.toHexString(b & 0x0F));
    }
    if (server ? !type.sentByClient() : !type.sentByServer()) {
      throw MqttDecodeException.protocolError((server ? "a client" : "a server") + " sent " + type);
    }
    if (server && (version == null) != (type == MqttPacketType.CONNECT)) {
      throw MqttDecodeException.protocolError(version == null ? "the first packet must be CONNECT, was " + type
          : "a second CONNECT");
    }
  }

  /** The header is complete and the body starts at {@code pos}: read it where it lies if it is all there. */
  private int beginBody(Buffer in, int pos, int end, Consumer<MqttPacket> sink) {
    long size = 1L + lengthBytes + remainingLength;
    if (size > maxPacketSize) {
      throw new MqttDecodeException(ReasonCode.PACKET_TOO_LARGE,
          "a packet of " + size + " bytes exceeds the maximum packet size of " + maxPacketSize);
    }
    if (inputArray != null && end - pos >= remainingLength) {
      int length = remainingLength;
      complete(new MqttReader(inputArray, inputBase + pos, inputBase + pos + length, in, inputBase), sink);
      return pos + length;
    }
    if (remainingLength == 0) {
      complete(new MqttReader(EMPTY, 0, 0, EMPTY_BUFFER, 0), sink);
      return pos;
    }
    inBody = true;
    body = new byte[Math.min(remainingLength, EAGER_ALLOCATION_LIMIT)];
    bodyFill = 0;
    return pos;
  }

  private static final byte[] EMPTY = new byte[0];
  private static final Buffer EMPTY_BUFFER = Buffer.buffer(0);

  private int readBody(Buffer in, int pos, int end, Consumer<MqttPacket> sink) {
    int n = Math.min(end - pos, remainingLength - bodyFill);
    if (bodyFill + n > body.length) {
      body = Arrays.copyOf(body, (int) Math.min(remainingLength, Math.max(body.length * 2L, bodyFill + n)));
    }
    in.getBytes(pos, pos + n, body, bodyFill);
    bodyFill += n;
    if (bodyFill == remainingLength) {
      byte[] complete = body;
      body = null;
      inBody = false;
      complete(new MqttReader(complete, 0, complete.length, Bytes.wrap(complete), 0), sink);
    }
    return pos + n;
  }

  private void complete(MqttReader reader, Consumer<MqttPacket> sink) {
    MqttPacketType type = MqttPacketType.ofCode(typeAndFlags >>> 4);
    int flags = typeAndFlags & 0x0F;
    headerFill = 0;
    remainingLength = 0;
    lengthBytes = 0;
    if (type == MqttPacketType.CONNECT) {
      connectVersion = MqttVersion.ofLevel(reader.peekConnectLevel());
    }
    MqttPacket packet = MqttPacketParser.parse(type, flags, version, reader);
    if (packet instanceof MqttPacket.Connect connect) {
      version = connect.version();
    }
    sink.accept(packet);
  }
}
