package io.braid.protocol.mux;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.braid.protocol.codec.ReasonText;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The stream-frame codec of subprotocol {@code braid.v1.json}: one frame per WebSocket text
 * message, as one JSON object.
 *
 * <pre>{@code
 * {"stream":0,"frame":"settings","settings":{"initialStreamWindow":32,"initialConnectionWindow":256,
 *                                            "maxConcurrentStreams":100,"maxFramePayload":1048576}}
 * {"stream":1,"frame":"data","end":false,"message":{"type":"subscribe",...}}
 * {"stream":1,"frame":"reset","error":"cancel"}
 * {"stream":0,"frame":"window_update","increment":16}
 * {"stream":0,"frame":"goaway","lastStreamId":7,"error":"no_error","reason":"restart","serverReference":"b:8080"}
 * }</pre>
 *
 * <p>{@code "frame"} defaults to {@code "data"} and {@code "end"} to false. A DATA frame's payload is
 * the exact UTF-8 text of its {@code "message"} object, sliced from the input without re-encoding,
 * for the message codec to decode. Unknown fields are refused so that typos in hand-written frames
 * are caught. Violations throw {@link StreamLayerException}. Thread safe.
 */
public final class JsonFrameCodec {
  private static final JsonFactory JSON = JsonFactory.builder().build();

  /** The fields each kind of frame may have. */
  private static final Map<String, Set<String>> FIELDS = Map.of(
      "data", Set.of("stream", "frame", "end", "message"),
      "reset", Set.of("stream", "frame", "error"),
      "window_update", Set.of("stream", "frame", "increment"),
      "settings", Set.of("stream", "frame", "settings"),
      "goaway", Set.of("stream", "frame", "lastStreamId", "error", "reason", "serverReference"));

  private final int maxFramePayload;

  /** @param maxFramePayload the largest text message this side accepts, in UTF-8 bytes */
  public JsonFrameCodec(int maxFramePayload) {
    this.maxFramePayload = maxFramePayload;
  }

  /** Decodes the frame carried by one WebSocket text message. */
  public StreamFrame decode(Buffer text) {
    if (text.length() > maxFramePayload) {
      throw new StreamLayerException(ErrorCode.FRAME_SIZE_ERROR,
          "frame of " + text.length() + " bytes exceeds the limit of " + maxFramePayload);
    }
    byte[] bytes = text.getBytes();
    if (looksLikeUtf16Or32(bytes)) {
      throw error("not valid JSON: not UTF-8");
    }
    try (JsonParser p = JSON.createParser(bytes)) {
      return new Fields(p, text).read();
    } catch (JsonProcessingException e) {
      // Also StreamConstraintsException: nesting, number or string past Jackson's limits.
      throw error("not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Jackson guesses UTF-16 or UTF-32 from a byte order mark or from zero bytes among the first four,
   * and then has no byte offsets to slice the message by. A frame is UTF-8 (RFC 8259 §8.1), where
   * JSON text never holds a zero byte (control characters must be escaped) nor 0xFE or 0xFF.
   */
  private static boolean looksLikeUtf16Or32(byte[] bytes) {
    if (bytes.length > 0 && (bytes[0] & 0xFE) == 0xFE) {
      return true;
    }
    for (int i = 0; i < Math.min(4, bytes.length); i++) {
      if (bytes[i] == 0) {
        return true;
      }
    }
    return false;
  }

  /** The fields of one frame object, read in any order. */
  private static final class Fields {
    private final JsonParser p;
    private final Buffer text;
    private Integer stream;
    private String frame = "data";
    private boolean end;
    private Buffer message;
    private String error;
    private Integer increment;
    private StreamSettings settings;
    private Integer lastStreamId;
    private String reason = "";
    private String serverReference;

    Fields(JsonParser p, Buffer text) {
      this.p = p;
      this.text = text;
    }

    StreamFrame read() throws IOException {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw error("a frame must be a JSON object");
      }
      // Duplicate fields are refused ({"stream":1,"stream":3} must act on neither), as in JSON messages; only the
      // frame's own fields are checked here: the message's are the message codec's business.
      Set<String> seen = new HashSet<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        require(seen.add(name), "frame: duplicate field " + ReasonText.quote(name));
        p.nextToken();
        readField(name);
      }
      if (p.nextToken() != null) {
        throw error("unexpected content after the frame object");
      }
      if (stream == null) {
        throw error("frame.stream: missing");
      }
      requireOnlyFieldsOf(frame, seen);
      switch (frame) {
        case "data":
          require(message != null, "frame.message: missing in a data frame");
          return new StreamFrame.Data(stream, end, message);
        case "reset":
          return new StreamFrame.Reset(stream, errorCode("frame.error"));
        case "window_update":
          require(increment != null, "frame.increment: missing in a window_update frame");
          return new StreamFrame.WindowUpdate(stream, increment);
        case "settings":
          require(stream == 0, "frame.stream: settings must be on stream 0");
          return new StreamFrame.Settings(settings != null ? settings : StreamSettings.DEFAULTS);
        case "goaway":
          require(stream == 0, "frame.stream: goaway must be on stream 0");
          require(lastStreamId != null, "frame.lastStreamId: missing in a goaway frame");
          return new StreamFrame.GoAway(lastStreamId, errorCode("frame.error"), reason, serverReference);
        default:
          throw error("frame.frame: unknown frame type " + ReasonText.quote(frame));
      }
    }

    /** Each kind of frame has its own fields: one of another kind is refused, not ignored. */
    private static void requireOnlyFieldsOf(String frame, Set<String> seen) {
      Set<String> allowed = FIELDS.get(frame);
      if (allowed == null) {
        return; // an unknown frame type: refused below
      }
      for (String name : seen) {
        require(allowed.contains(name), "frame." + name + ": not a field of a " + frame + " frame");
      }
    }

    private void readField(String name) throws IOException {
      switch (name) {
        case "stream":
          stream = readInt("frame.stream", 0, StreamFrame.MAX_STREAM_ID);
          break;
        case "frame":
          frame = readString("frame.frame");
          break;
        case "end":
          require(p.currentToken().isBoolean(), "frame.end: must be true or false");
          end = p.getBooleanValue();
          break;
        case "message":
          require(p.currentToken() == JsonToken.START_OBJECT, "frame.message: must be a JSON object");
          int start = (int) p.currentTokenLocation().getByteOffset();
          p.skipChildren();
          int stop = (int) p.currentLocation().getByteOffset();
          message = text.slice(start, stop);
          break;
        case "error":
          error = readString("frame.error");
          break;
        case "increment":
          increment = readInt("frame.increment", 1, StreamSettings.MAX_WINDOW);
          break;
        case "settings":
          settings = readSettings();
          break;
        case "lastStreamId":
          lastStreamId = readInt("frame.lastStreamId", 0, StreamFrame.MAX_STREAM_ID);
          break;
        case "reason":
          reason = readString("frame.reason");
          break;
        case "serverReference":
          serverReference = readString("frame.serverReference");
          break;
        default:
          throw error("frame: unknown field " + ReasonText.quote(name));
      }
    }

    private StreamSettings readSettings() throws IOException {
      require(p.currentToken() == JsonToken.START_OBJECT, "frame.settings: must be a JSON object");
      StreamSettings d = StreamSettings.DEFAULTS;
      int streamWindow = d.initialStreamWindow();
      int connectionWindow = d.initialConnectionWindow();
      int maxStreams = d.maxConcurrentStreams();
      int maxPayload = d.maxFramePayload();
      Set<String> seen = new HashSet<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        require(seen.add(name), "frame.settings: duplicate field " + ReasonText.quote(name));
        p.nextToken();
        switch (name) {
          case "initialStreamWindow":
            streamWindow = readInt("settings.initialStreamWindow", 1, StreamSettings.MAX_WINDOW);
            break;
          case "initialConnectionWindow":
            connectionWindow = readInt("settings.initialConnectionWindow", 1, StreamSettings.MAX_WINDOW);
            break;
          case "maxConcurrentStreams":
            maxStreams = readInt("settings.maxConcurrentStreams", 0, Integer.MAX_VALUE);
            break;
          case "maxFramePayload":
            maxPayload = readInt("settings.maxFramePayload", StreamSettings.MIN_FRAME_PAYLOAD, Integer.MAX_VALUE);
            break;
          default:
            // Unknown settings are ignored, as in the binary codec.
            p.skipChildren();
        }
      }
      return new StreamSettings(streamWindow, connectionWindow, maxStreams, maxPayload);
    }

    private long errorCode(String field) {
      require(error != null, field + ": missing");
      long code = ErrorCode.forName(error);
      require(code >= 0, field + ": unknown error code " + ReasonText.quote(error));
      return code;
    }

    private int readInt(String field, int min, int max) throws IOException {
      require(p.currentToken() == JsonToken.VALUE_NUMBER_INT, field + ": must be an integer");
      require(p.getNumberType() == JsonParser.NumberType.INT || p.getNumberType() == JsonParser.NumberType.LONG,
          field + ": out of range " + min + ".." + max);
      long v = p.getLongValue();
      require(v >= min && v <= max, field + ": " + v + " outside " + min + ".." + max);
      return (int) v;
    }

    private String readString(String field) throws IOException {
      require(p.currentToken() == JsonToken.VALUE_STRING, field + ": must be a string");
      return p.getText();
    }
  }

  /** One frame as the UTF-8 text of a WebSocket text message. */
  public static Buffer encode(StreamFrame frame) {
    if (frame instanceof StreamFrame.Data data) {
      // The message is already JSON text: splice it in instead of re-encoding it.
      String head = dataHead(data);
      return Buffer.buffer(head.length() + data.payload().length() + 1)
          .appendString(head, "UTF-8").appendBuffer(data.payload()).appendByte((byte) '}');
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("stream", frame.streamId());
      if (frame instanceof StreamFrame.Reset reset) {
        g.writeStringField("frame", "reset");
        g.writeStringField("error", ErrorCode.name(reset.errorCode()));
      } else if (frame instanceof StreamFrame.WindowUpdate update) {
        g.writeStringField("frame", "window_update");
        g.writeNumberField("increment", update.increment());
      } else if (frame instanceof StreamFrame.Settings settings) {
        StreamSettings s = settings.settings();
        g.writeStringField("frame", "settings");
        g.writeObjectFieldStart("settings");
        g.writeNumberField("initialStreamWindow", s.initialStreamWindow());
        g.writeNumberField("initialConnectionWindow", s.initialConnectionWindow());
        g.writeNumberField("maxConcurrentStreams", s.maxConcurrentStreams());
        g.writeNumberField("maxFramePayload", s.maxFramePayload());
        g.writeEndObject();
      } else {
        StreamFrame.GoAway goAway = (StreamFrame.GoAway) frame;
        g.writeStringField("frame", "goaway");
        g.writeNumberField("lastStreamId", goAway.lastStreamId());
        g.writeStringField("error", ErrorCode.name(goAway.errorCode()));
        g.writeStringField("reason", goAway.reason());
        if (goAway.serverReference() != null) {
          g.writeStringField("serverReference", goAway.serverReference());
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Buffer.buffer(out.toByteArray());
  }

  /** The length in bytes of {@link #encode}'s text for {@code data}, without encoding it. */
  public static int encodedLength(StreamFrame.Data data) {
    return dataHead(data).length() + data.payload().length() + 1;
  }

  private static String dataHead(StreamFrame.Data data) {
    return "{\"stream\":" + data.streamId() + ",\"frame\":\"data\",\"end\":" + data.endStream() + ",\"message\":";
  }

  private static void require(boolean ok, String reason) {
    if (!ok) {
      throw error(reason);
    }
  }

  private static StreamLayerException error(String reason) {
    return new StreamLayerException(ErrorCode.PROTOCOL_ERROR, reason);
  }

}
