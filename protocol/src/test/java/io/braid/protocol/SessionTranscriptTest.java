package io.braid.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.codec.Role;
import io.braid.protocol.message.BinaryMessageCodec;
import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.ConnAck;
import io.braid.protocol.message.Connect;
import io.braid.protocol.message.Disconnect;
import io.braid.protocol.message.JsonMessageCodec;
import io.braid.protocol.message.MessagePlacement;
import io.braid.protocol.message.MessageType;
import io.braid.protocol.message.PubAck;
import io.braid.protocol.message.Publish;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.message.SubAck;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.message.UnsubAck;
import io.braid.protocol.message.Unsubscribe;
import io.braid.protocol.message.UserProperty;
import io.braid.protocol.mux.BinaryFrameCodec;
import io.braid.protocol.mux.Inbound;
import io.braid.protocol.mux.JsonFrameCodec;
import io.braid.protocol.mux.Multiplexer;
import io.braid.protocol.mux.StreamFrame;
import io.braid.protocol.mux.StreamSettings;
import io.braid.protocol.mux.StreamState;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole session of docs/PROTOCOL.md §7, byte for byte: connect, subscribe, publish at QoS 1,
 * its acknowledgement, the delivery and its acknowledgement, unsubscribe, disconnect. Both sides run
 * a real {@link Multiplexer} and {@link MessagePlacement}, so the transcript is checked to be legal,
 * and both codecs must produce exactly the committed vectors (session.hex, session.jsonl).
 */
class SessionTranscriptTest {
  private static final Buffer TEMPERATURE = Buffer.buffer("21.5");

  /** One WebSocket message: who sends it and the stream frames it batches. */
  record WsMessage(Role sender, List<StreamFrame> frames) {}

  /**
   * The CONNACK of a broker on its defaults: the largest stream frame it takes, and its other limits as
   * {@code braid.*} user properties (PROTOCOL.md 8.1).
   */
  static final ConnAck CONNACK = ConnAck.builder(ReasonCode.SUCCESS)
      .maximumMessageSize(1_048_576)
      .userProperties(List.of(
          new UserProperty("braid.maxSubscriptions", "100"),
          new UserProperty("braid.maxQueuedMessages", "1000"),
          new UserProperty("braid.queueOverflow", "drop-newest"),
          new UserProperty("braid.maxInflight", "100"),
          new UserProperty("braid.maxTopicLength", "1024"),
          new UserProperty("braid.maxTopicLevels", "32"),
          new UserProperty("braid.publishRatePerSecond", "0")))
      .build();

  /** The broker's SETTINGS on its defaults: windows of 256 and 2,048 (limits.streamWindow, limits.connectionWindow). */
  static final StreamSettings BROKER = new StreamSettings(256, 2_048, 100, 1_048_576);

  private static List<WsMessage> session() {
    List<WsMessage> s = new ArrayList<>();
    // the server sends its SETTINGS as soon as the WebSocket is open, before the client's first message
    s.add(server(new StreamFrame.Settings(BROKER)));
    s.add(client(new StreamFrame.Settings(StreamSettings.DEFAULTS),
        data(0, false, Connect.builder("sensor-1").cleanStart(true).keepAlive(30).build())));
    s.add(server(data(0, false, CONNACK)));
    s.add(client(data(1, false, Subscribe.of("home/+/temp", 1))));
    s.add(server(data(1, false, SubAck.of(ReasonCode.GRANTED_QOS_1))));
    s.add(client(data(3, true, Publish.of("home/kitchen/temp", TEMPERATURE, 1, 1))));
    // the delivery's packet id is the server's own: the session numbers its deliveries from 2
    s.add(server(data(3, true, PubAck.of(1)), data(1, false, Publish.of("home/kitchen/temp", TEMPERATURE, 1, 2))));
    s.add(client(data(1, false, PubAck.of(2))));
    s.add(client(data(1, true, new Unsubscribe(List.of()))));
    s.add(server(data(1, true, UnsubAck.of(ReasonCode.SUCCESS))));
    s.add(client(data(0, false, Disconnect.of(ReasonCode.NORMAL_DISCONNECTION))));
    return s;
  }

  /** A DATA frame carrying {@code message} in binary; the JSON test re-encodes it from MESSAGES. */
  private static StreamFrame data(int streamId, boolean end, BraidMessage message) {
    Buffer payload = BinaryMessageCodec.INSTANCE.encode(message);
    MESSAGES.put(payload, message);
    return new StreamFrame.Data(streamId, end, payload);
  }

  private static final Map<Buffer, BraidMessage> MESSAGES = new HashMap<>();

  private static WsMessage client(StreamFrame... frames) {
    return new WsMessage(Role.CLIENT, List.of(frames));
  }

  private static WsMessage server(StreamFrame... frames) {
    return new WsMessage(Role.SERVER, List.of(frames));
  }

  @Test
  void sessionIsLegalForBothSidesStreamLayers() {
    Multiplexer client = new Multiplexer(Role.CLIENT, StreamSettings.DEFAULTS);
    Multiplexer server = new Multiplexer(Role.SERVER, BROKER);
    Map<Integer, MessageType> openers = new HashMap<>();
    for (WsMessage m : session()) {
      Multiplexer sender = m.sender() == Role.CLIENT ? client : server;
      Multiplexer receiver = m.sender() == Role.CLIENT ? server : client;
      for (StreamFrame frame : m.frames()) {
        if (frame instanceof StreamFrame.Data d && d.streamId() != 0 && sender.state(d.streamId()) == StreamState.IDLE) {
          assertThat(sender.openStream()).isEqualTo(d.streamId());
        }
        sender.sent(frame);
        Inbound in = receiver.receive(frame);
        if (frame instanceof StreamFrame.Data d) {
          assertThat(in).isInstanceOf(Inbound.Message.class);
          BraidMessage message = BinaryMessageCodec.INSTANCE.decode(d.payload());
          MessageType opener = openers.get(d.streamId());
          assertThat(MessagePlacement.check(m.sender(), d.streamId(), opener, message.type())).isNull();
          openers.putIfAbsent(d.streamId(), message.type());
          receiver.consumed(d.streamId());
        } else {
          assertThat(in).isInstanceOf(Inbound.CreditGranted.class);
        }
      }
    }
    assertThat(client.state(1)).isEqualTo(StreamState.CLOSED);
    assertThat(client.state(3)).isEqualTo(StreamState.CLOSED);
    assertThat(server.openStreams()).isZero();
  }

  @Test
  void binaryTranscriptMatchesSessionHex() throws IOException {
    StringBuilder actual = new StringBuilder();
    for (WsMessage m : session()) {
      Buffer ws = Buffer.buffer();
      for (StreamFrame frame : m.frames()) {
        BinaryFrameCodec.encode(frame, ws);
      }
      actual.append(m.sender() == Role.CLIENT ? "C " : "S ").append(HexFormat.of().formatHex(ws.getBytes())).append('\n');
    }
    assertThat(actual.toString()).isEqualTo(resource("vectors/session/session.hex"));
  }

  @Test
  void jsonTranscriptMatchesSessionJsonl() throws IOException {
    StringBuilder actual = new StringBuilder();
    for (WsMessage m : session()) {
      for (StreamFrame frame : m.frames()) {
        StreamFrame json = frame;
        if (frame instanceof StreamFrame.Data d) {
          json = new StreamFrame.Data(d.streamId(), d.endStream(), JsonMessageCodec.INSTANCE.encode(MESSAGES.get(d.payload())));
        }
        actual.append(m.sender() == Role.CLIENT ? "C " : "S ")
            .append(JsonFrameCodec.encode(json).toString(StandardCharsets.UTF_8)).append('\n');
      }
    }
    assertThat(actual.toString()).isEqualTo(resource("vectors/session/session.jsonl"));
  }

  @Test
  void bothTranscriptsDecodeToTheSameMessages() throws IOException {
    JsonFrameCodec json = new JsonFrameCodec(StreamSettings.DEFAULTS.maxFramePayload());
    BinaryFrameCodec binary = new BinaryFrameCodec(StreamSettings.DEFAULTS.maxFramePayload());
    List<BraidMessage> fromJson = new ArrayList<>();
    for (String line : resource("vectors/session/session.jsonl").split("\n")) {
      if (json.decode(Buffer.buffer(line.substring(2))) instanceof StreamFrame.Data d) {
        fromJson.add(JsonMessageCodec.INSTANCE.decode(d.payload()));
      }
    }
    List<BraidMessage> fromBinary = new ArrayList<>();
    for (String line : resource("vectors/session/session.hex").split("\n")) {
      binary.decode(Buffer.buffer(HexFormat.of().parseHex(line.substring(2))), f -> {
        if (f instanceof StreamFrame.Data d) {
          fromBinary.add(BinaryMessageCodec.INSTANCE.decode(d.payload()));
        }
      });
    }
    assertThat(fromJson).hasSize(11).isEqualTo(fromBinary);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = SessionTranscriptTest.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        return "(missing " + name + ")";
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
