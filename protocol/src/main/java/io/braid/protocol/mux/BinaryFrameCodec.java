package io.braid.protocol.mux;

import io.braid.protocol.codec.ByteReader;
import io.braid.protocol.codec.ByteWriter;
import io.braid.protocol.codec.MalformedException;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * The binary stream-frame codec of subprotocol {@code braid.v1}. A WebSocket binary message holds
 * one or more whole frames, back to back; a frame never spans messages.
 *
 * <pre>
 * +-----------------+---------+---------+-----------------+-----------------+
 * | stream id       | type    | flags   | length          | payload         |
 * | varint, 1-5 B   | 4 bits  | 4 bits  | varint, 1-5 B   | length bytes    |
 * +-----------------+---------+---------+-----------------+-----------------+
 * </pre>
 *
 * <p>Decoding is zero-copy: a DATA frame's payload is a slice of the WebSocket message. Every
 * violation throws {@link StreamLayerException}, a connection error. Stateless and thread safe.
 */
public final class BinaryFrameCodec {
  private final int maxFramePayload;

  /** @param maxFramePayload the largest payload this side accepts (its own SETTINGS value) */
  public BinaryFrameCodec(int maxFramePayload) {
    this.maxFramePayload = maxFramePayload;
  }

  /** Decodes every frame of one WebSocket binary message, in order. */
  public void decode(Buffer message, Consumer<StreamFrame> sink) {
    if (message.length() == 0) {
      throw new StreamLayerException(ErrorCode.FRAME_SIZE_ERROR, "empty message: at least one frame expected");
    }
    ByteReader in = new ByteReader(message);
    while (in.hasRemaining()) {
      sink.accept(decodeFrame(message, in));
    }
  }

  private StreamFrame decodeFrame(Buffer message, ByteReader in) {
    int streamId;
    int type;
    int flags;
    int start;
    int length;
    try {
      streamId = inRange(in.readVarint("frame.streamId"), "frame.streamId", 0, StreamFrame.MAX_STREAM_ID);
      int typeAndFlags = in.readU8("frame.type");
      type = typeAndFlags >>> 4;
      flags = typeAndFlags & 0x0F;
      long declared = in.readVarint("frame.length");
      if (declared > maxFramePayload) {
        throw new StreamLayerException(ErrorCode.FRAME_SIZE_ERROR,
            "frame payload of " + declared + " bytes exceeds the limit of " + maxFramePayload);
      }
      length = (int) declared;
      start = in.position();
      in.skip(length, "frame.length");
    } catch (MalformedException e) {
      throw new StreamLayerException(ErrorCode.FRAME_SIZE_ERROR, e.getMessage());
    }
    ByteReader payload = new ByteReader(message, start, start + length);
    try {
      switch (type) {
        case StreamFrame.TYPE_DATA:
          requireFlags(flags, StreamFrame.FLAG_END_STREAM, "DATA");
          return new StreamFrame.Data(streamId, (flags & StreamFrame.FLAG_END_STREAM) != 0, message.slice(start, start + length));
        case StreamFrame.TYPE_RESET:
          requireFlags(flags, 0, "RESET");
          return end(payload, new StreamFrame.Reset(streamId, payload.readVarint("RESET.errorCode")));
        case StreamFrame.TYPE_SETTINGS:
          requireFlags(flags, 0, "SETTINGS");
          requireControlStream(streamId, "SETTINGS");
          return decodeSettings(payload);
        case StreamFrame.TYPE_WINDOW_UPDATE:
          requireFlags(flags, 0, "WINDOW_UPDATE");
          return end(payload, new StreamFrame.WindowUpdate(streamId,
              inRange(payload.readVarint("WINDOW_UPDATE.increment"), "WINDOW_UPDATE.increment", 1,
                  StreamSettings.MAX_WINDOW)));
        case StreamFrame.TYPE_GOAWAY:
          requireFlags(flags, 0, "GOAWAY");
          requireControlStream(streamId, "GOAWAY");
          return decodeGoAway(payload);
        default:
          throw new StreamLayerException(ErrorCode.PROTOCOL_ERROR, "frame.type: unknown frame type 0x" + Integer.toHexString(type));
      }
    } catch (MalformedException e) {
      throw new StreamLayerException(ErrorCode.FRAME_SIZE_ERROR, e.getMessage());
    }
  }

  /**
   * A value that decoded but lies outside its range: a protocol error, as in the JSON codec (which sees the same
   * value as a number), not a framing one.
   */
  private static int inRange(long value, String field, int min, int max) {
    if (value < min || value > max) {
      throw new StreamLayerException(ErrorCode.PROTOCOL_ERROR, field + ": " + value + " outside " + min + ".." + max);
    }
    return (int) value;
  }

  private static void requireFlags(int flags, int allowed, String frame) {
    if ((flags & ~allowed) != 0) {
      throw new StreamLayerException(ErrorCode.PROTOCOL_ERROR, frame + ".flags: undefined flag bits 0x" + Integer.toHexString(flags & ~allowed));
    }
  }

  // SETTINGS and GOAWAY concern the whole connection: they travel on the control stream only.
  private static void requireControlStream(int streamId, String frame) {
    if (streamId != 0) {
      throw new StreamLayerException(ErrorCode.PROTOCOL_ERROR, "frame.streamId: " + frame + " must be on stream 0");
    }
  }

  private static StreamFrame end(ByteReader payload, StreamFrame frame) {
    if (payload.hasRemaining()) {
      throw new MalformedException(frameName(frame), payload.remaining() + " unexpected bytes after the last field");
    }
    return frame;
  }

  private static String frameName(StreamFrame frame) {
    return frame instanceof StreamFrame.Reset ? "RESET" : "WINDOW_UPDATE";
  }

  private static StreamFrame decodeSettings(ByteReader payload) {
    StreamSettings d = StreamSettings.DEFAULTS;
    int streamWindow = d.initialStreamWindow();
    int connectionWindow = d.initialConnectionWindow();
    int maxStreams = d.maxConcurrentStreams();
    int maxPayload = d.maxFramePayload();
    while (payload.hasRemaining()) {
      long id = payload.readVarint("SETTINGS.id");
      switch ((int) Math.min(id, Integer.MAX_VALUE)) {
        case StreamSettings.ID_INITIAL_STREAM_WINDOW:
          streamWindow = inRange(payload.readVarint("SETTINGS.initialStreamWindow"), "SETTINGS.initialStreamWindow", 1,
              StreamSettings.MAX_WINDOW);
          break;
        case StreamSettings.ID_INITIAL_CONNECTION_WINDOW:
          connectionWindow = inRange(payload.readVarint("SETTINGS.initialConnectionWindow"),
              "SETTINGS.initialConnectionWindow", 1, StreamSettings.MAX_WINDOW);
          break;
        case StreamSettings.ID_MAX_CONCURRENT_STREAMS:
          maxStreams = inRange(payload.readVarint("SETTINGS.maxConcurrentStreams"), "SETTINGS.maxConcurrentStreams", 0,
              Integer.MAX_VALUE);
          break;
        case StreamSettings.ID_MAX_FRAME_PAYLOAD:
          maxPayload = inRange(payload.readVarint("SETTINGS.maxFramePayload"), "SETTINGS.maxFramePayload",
              StreamSettings.MIN_FRAME_PAYLOAD, Integer.MAX_VALUE);
          break;
        default:
          // Unknown settings are ignored so that later versions can add some (as in HTTP/2).
          payload.readVarint("SETTINGS.value");
      }
    }
    return new StreamFrame.Settings(new StreamSettings(streamWindow, connectionWindow, maxStreams, maxPayload));
  }

  private static StreamFrame decodeGoAway(ByteReader payload) {
    int lastStreamId = inRange(payload.readVarint("GOAWAY.lastStreamId"), "GOAWAY.lastStreamId", 0,
        StreamFrame.MAX_STREAM_ID);
    long errorCode = payload.readVarint("GOAWAY.errorCode");
    String reason = payload.readString("GOAWAY.reason");
    String serverReference = payload.hasRemaining() ? payload.readString("GOAWAY.serverReference") : null;
    if (payload.hasRemaining()) {
      throw new MalformedException("GOAWAY", payload.remaining() + " unexpected bytes after the last field");
    }
    return new StreamFrame.GoAway(lastStreamId, errorCode, reason, serverReference);
  }

  /** Appends one frame to {@code out}; several frames appended to one buffer form a batch. */
  public static Buffer encode(StreamFrame frame, Buffer out) {
    if (frame instanceof StreamFrame.Data data) {
      return header(out, data.streamId(), StreamFrame.TYPE_DATA, data.endStream() ? StreamFrame.FLAG_END_STREAM : 0, data.payload().length())
          .appendBuffer(data.payload());
    }
    if (frame instanceof StreamFrame.Reset reset) {
      header(out, reset.streamId(), StreamFrame.TYPE_RESET, 0, ByteWriter.varintSize(reset.errorCode()));
      return ByteWriter.writeVarint(out, reset.errorCode());
    }
    if (frame instanceof StreamFrame.WindowUpdate update) {
      header(out, update.streamId(), StreamFrame.TYPE_WINDOW_UPDATE, 0, ByteWriter.varintSize(update.increment()));
      return ByteWriter.writeVarint(out, update.increment());
    }
    if (frame instanceof StreamFrame.Settings settings) {
      Buffer body = settingsPayload(settings.settings());
      return header(out, 0, StreamFrame.TYPE_SETTINGS, 0, body.length()).appendBuffer(body);
    }
    StreamFrame.GoAway goAway = (StreamFrame.GoAway) frame;
    Buffer body = Buffer.buffer(16 + goAway.reason().length());
    ByteWriter.writeVarint(body, goAway.lastStreamId());
    ByteWriter.writeVarint(body, goAway.errorCode());
    ByteWriter.writeString(body, goAway.reason());
    if (goAway.serverReference() != null) {
      ByteWriter.writeString(body, goAway.serverReference());
    }
    return header(out, 0, StreamFrame.TYPE_GOAWAY, 0, body.length()).appendBuffer(body);
  }

  /** One frame as a buffer of its own. */
  public static Buffer encode(StreamFrame frame) {
    int size = frame instanceof StreamFrame.Data data ? data.payload().length() + 12 : 32;
    return encode(frame, Buffer.buffer(size));
  }

  private static Buffer settingsPayload(StreamSettings s) {
    Buffer body = Buffer.buffer(24);
    ByteWriter.writeVarint(body, StreamSettings.ID_INITIAL_STREAM_WINDOW);
    ByteWriter.writeVarint(body, s.initialStreamWindow());
    ByteWriter.writeVarint(body, StreamSettings.ID_INITIAL_CONNECTION_WINDOW);
    ByteWriter.writeVarint(body, s.initialConnectionWindow());
    ByteWriter.writeVarint(body, StreamSettings.ID_MAX_CONCURRENT_STREAMS);
    ByteWriter.writeVarint(body, s.maxConcurrentStreams());
    ByteWriter.writeVarint(body, StreamSettings.ID_MAX_FRAME_PAYLOAD);
    ByteWriter.writeVarint(body, s.maxFramePayload());
    return body;
  }

  private static Buffer header(Buffer out, int streamId, int type, int flags, int length) {
    ByteWriter.writeVarint(out, streamId);
    out.appendByte((byte) ((type << 4) | flags));
    return ByteWriter.writeVarint(out, length);
  }

}
