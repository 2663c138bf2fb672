package io.braid.protocol.endpoint;

import static io.braid.protocol.endpoint.EndpointPair.of;
import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.codec.Role;
import io.braid.protocol.message.BinaryMessageCodec;
import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.Connect;
import io.braid.protocol.message.JsonMessageCodec;
import io.braid.protocol.message.PubAck;
import io.braid.protocol.message.Publish;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.message.SubAck;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.mux.BinaryFrameCodec;
import io.braid.protocol.mux.ErrorCode;
import io.braid.protocol.mux.StreamFrame;
import io.braid.protocol.mux.StreamSettings;
import io.braid.protocol.mux.StreamState;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Two endpoints driven against each other with no socket: credit, the outbox, answers, errors and stream endings. */
class StreamEndpointTest {

  private static final int WINDOW = StreamSettings.DEFAULTS.initialStreamWindow();

  private static Publish publish(int packetId) {
    return Publish.of("t", Buffer.buffer("m" + packetId), 1, packetId);
  }

  @ParameterizedTest
  @ValueSource(strings = {BinaryMessageCodec.SUBPROTOCOL, JsonMessageCodec.SUBPROTOCOL})
  void aMessageBeyondTheStreamsCreditWaitsAndGoesOutInOrderWhenCreditComes(String subprotocol) {
    EndpointPair pair = EndpointPair.started(subprotocol);
    pair.server.consumeOnArrival = false;
    int stream = pair.client.endpoint.openStream();
    for (int i = 1; i <= WINDOW; i++) {
      assertThat(pair.client.endpoint.send(stream, publish(i), false)).isEqualTo(SendResult.SENT);
    }
    assertThat(pair.client.endpoint.send(stream, publish(WINDOW + 1), false)).isEqualTo(SendResult.QUEUED);
    assertThat(pair.client.endpoint.canSend(stream)).isFalse();
    pair.settle();
    assertThat(pair.server.messages).hasSize(WINDOW);

    for (int i = 0; i < WINDOW / 2; i++) {
      pair.server.endpoint.consumed(stream); // half a window consumed: credit goes back
    }
    pair.settle();

    assertThat(pair.server.messages).hasSize(WINDOW + 1);
    assertThat(((Publish) pair.server.messages.get(WINDOW).message()).packetId()).isEqualTo(WINDOW + 1);
    assertThat(pair.client.events).contains("credit " + stream);
  }

  @Test
  void aMessageSentBehindQueuedOnesWaitsToo() {
    EndpointPair pair = EndpointPair.started(BinaryMessageCodec.SUBPROTOCOL);
    pair.server.consumeOnArrival = false;
    int stream = pair.client.endpoint.openStream();
    for (int i = 1; i <= WINDOW + 2; i++) {
      pair.client.endpoint.send(stream, publish(i), false);
    }
    pair.settle();
    pair.server.consumeOnArrival = true;
    for (int i = 0; i < WINDOW; i++) {
      pair.server.endpoint.consumed(stream);
    }
    pair.settle();

    assertThat(pair.server.messages).extracting(received -> ((Publish) received.message()).packetId())
        .containsExactlyElementsOf(IntStream.rangeClosed(1, WINDOW + 2).boxed().toList());
  }

  @Test
  void anAnswerReturnsTheCreditOfWhatItAnswersOnlyOnceWritten() {
    EndpointPair pair = EndpointPair.started(BinaryMessageCodec.SUBPROTOCOL);
    pair.server.consumeOnArrival = false;
    pair.client.consumeOnArrival = false; // the client withholds credit for the answers it gets
    int stream = pair.client.endpoint.openStream();

    exchangeAWindow(pair, stream, 1); // the answers fit the client's window: written, and their credit is back
    assertThat(pair.client.endpoint.canSend(stream)).isTrue();

    exchangeAWindow(pair, stream, WINDOW + 1); // these answers wait for the client's credit, and so does its own
    assertThat(pair.server.endpoint.hasQueued(stream)).isTrue();
    assertThat(pair.client.endpoint.canSend(stream)).isFalse();
    assertThat(of(pair.client, PubAck.class)).hasSize(WINDOW);

    for (int i = 0; i < WINDOW; i++) {
      pair.client.endpoint.consumed(stream); // the client takes its answers at last
    }
    pair.settle();
    assertThat(of(pair.client, PubAck.class)).hasSize(2 * WINDOW);
    assertThat(pair.client.endpoint.canSend(stream)).isTrue();
  }

  /** The client publishes a window; the server answers each, consuming it only as the answer is written. */
  private static void exchangeAWindow(EndpointPair pair, int stream, int firstPacketId) {
    for (int i = 0; i < WINDOW; i++) {
      assertThat(pair.client.endpoint.send(stream, publish(firstPacketId + i), false)).isEqualTo(SendResult.SENT);
    }
    pair.settle();
    for (int i = 0; i < WINDOW; i++) {
      pair.server.endpoint.answer(stream, PubAck.of(firstPacketId + i), false);
    }
    pair.settle();
  }

  @ParameterizedTest
  @ValueSource(strings = {BinaryMessageCodec.SUBPROTOCOL, JsonMessageCodec.SUBPROTOCOL})
  void aMessageLargerThanThePeersMaxFramePayloadIsNotSent(String subprotocol) {
    EndpointPair pair = new EndpointPair(subprotocol,
        new StreamSettings(32, 256, 100, StreamSettings.MIN_FRAME_PAYLOAD), StreamSettings.DEFAULTS);
    pair.client.endpoint.start();
    pair.server.endpoint.start();
    pair.settle();
    pair.client.endpoint.send(pair.client.endpoint.openStream(), Subscribe.of("t", 1), false);
    pair.settle();

    SendResult big = pair.server.endpoint.send(1, Publish.of("t", Buffer.buffer("x".repeat(2_000)), 0, 0), false);
    SendResult small = pair.server.endpoint.send(1, Publish.of("t", Buffer.buffer("y"), 0, 0), false);
    pair.settle();

    assertThat(big).isEqualTo(SendResult.TOO_LARGE);
    assertThat(small).isEqualTo(SendResult.SENT);
    assertThat(of(pair.client, Publish.class)).singleElement()
        .satisfies(received -> assertThat(((Publish) received.message()).payload().toString()).isEqualTo("y"));
  }

  @Test
  void aMisplacedMessageResetsOnlyItsStream() {
    EndpointPair pair = EndpointPair.started(BinaryMessageCodec.SUBPROTOCOL);
    Buffer misplaced = EndpointPair.raw(new StreamFrame.Data(1, false,
        BinaryMessageCodec.INSTANCE.encode(SubAck.of(ReasonCode.GRANTED_QOS_0)))); // a client never sends SUBACK
    pair.server.endpoint.receive(false, misplaced);
    pair.server.endTurn();

    assertThat(pair.server.events).contains("stream error 1 " + ErrorCode.MESSAGE_ERROR, "closed 1");
    assertThat(pair.server.messages).isEmpty();
    List<StreamFrame> sent = new ArrayList<>();
    new BinaryFrameCodec(1 << 20).decode(pair.server.outgoing.getLast().payload(), sent::add);
    assertThat(sent).contains(new StreamFrame.Reset(1, ErrorCode.MESSAGE_ERROR));
  }

  @Test
  void aMalformedMessageOnTheControlStreamIsLeftToTheOwner() {
    EndpointPair pair = EndpointPair.started(BinaryMessageCodec.SUBPROTOCOL);
    pair.server.endpoint.receive(false, EndpointPair.raw(new StreamFrame.Data(0, false,
        Buffer.buffer(new byte[] {(byte) 0xEE}))));

    assertThat(pair.server.events).singleElement().asString().startsWith("control error 0x81");
  }

  @Test
  void aBrokenFrameIsAConnectionErrorWithGoAwayAndNothingMoreIsTakenIn() {
    EndpointPair pair = EndpointPair.started(BinaryMessageCodec.SUBPROTOCOL);
    pair.server.endpoint.receive(false, Buffer.buffer(new byte[] {0x01, (byte) 0xF0, 0x00})); // frame type 0xF
    pair.server.endpoint.receive(false, EndpointPair.raw(new StreamFrame.Data(0, false,
        BinaryMessageCodec.INSTANCE.encode(Connect.builder("late").build()))));
    pair.settle();

    assertThat(pair.server.events).singleElement().asString().startsWith("connection error " + ErrorCode.PROTOCOL_ERROR);
    assertThat(pair.server.messages).isEmpty();
    assertThat(pair.client.events).isEmpty(); // GOAWAY arrived; the client heard it as a GOAWAY, not an error
  }

  @Test
  void theWrongKindOfWebSocketMessageIsReported() {
    EndpointPair pair = EndpointPair.started(BinaryMessageCodec.SUBPROTOCOL);
    pair.server.endpoint.receive(true, Buffer.buffer("{}"));

    assertThat(pair.server.events).containsExactly("wrong kind braid.v1 carries binary messages only");
  }

  @Test
  void aStreamIsAnnouncedClosedOnceWhenBothSidesEndedIt() {
    EndpointPair pair = EndpointPair.started(BinaryMessageCodec.SUBPROTOCOL);
    int stream = pair.client.endpoint.openStream();
    pair.client.endpoint.send(stream, publish(1), true);
    pair.settle();
    pair.server.endpoint.answer(stream, PubAck.of(1), true);
    pair.settle();

    assertThat(pair.server.events).containsOnlyOnce("closed " + stream);
    assertThat(pair.client.events).containsOnlyOnce("closed " + stream);
    assertThat(pair.server.endpoint.state(stream)).isEqualTo(StreamState.CLOSED);
  }

  @Test
  void nothingCanFollowAQueuedEndOfStream() {
    EndpointPair pair = EndpointPair.started(BinaryMessageCodec.SUBPROTOCOL);
    pair.server.consumeOnArrival = false;
    int stream = pair.client.endpoint.openStream();
    for (int i = 1; i <= WINDOW; i++) {
      pair.client.endpoint.send(stream, publish(i), false);
    }
    assertThat(pair.client.endpoint.send(stream, publish(WINDOW + 1), true)).isEqualTo(SendResult.QUEUED);

    assertThat(pair.client.endpoint.send(stream, publish(WINDOW + 2), false)).isEqualTo(SendResult.CLOSED);
  }

  @Test
  void aResetDropsWhatWaitedForCreditOnItsStream() {
    EndpointPair pair = EndpointPair.started(BinaryMessageCodec.SUBPROTOCOL);
    pair.server.consumeOnArrival = false;
    pair.client.consumeOnArrival = false;
    int stream = pair.client.endpoint.openStream();
    exchangeAWindow(pair, stream, 1);
    exchangeAWindow(pair, stream, WINDOW + 1); // a window of answers waits on the server
    assertThat(pair.server.endpoint.hasQueued(stream)).isTrue();

    pair.client.endpoint.reset(stream, ErrorCode.CANCEL);
    pair.settle();

    assertThat(pair.server.events).contains("peer reset " + stream + " " + ErrorCode.CANCEL, "closed " + stream);
    assertThat(pair.server.endpoint.hasQueued(stream)).isFalse();
    assertThat(of(pair.client, PubAck.class)).hasSize(WINDOW);
  }

  @Test
  void aStreamClosedInsideACallbackIsAnnouncedAfterTheCallbackReturns() {
    EndpointPair pair = EndpointPair.started(BinaryMessageCodec.SUBPROTOCOL);
    EndpointListener resetting = new EndpointListener() {
      @Override
      public void onMessage(int streamId, boolean opened, boolean endStream, BraidMessage message) {
        pair.server.events.add("handling " + streamId);
        pair.server.endpoint.reset(streamId, ErrorCode.CANCEL);
        pair.server.events.add("handled " + streamId);
      }

      @Override
      public void onControlError(int reasonCode, String reason) {
      }

      @Override
      public void onConnectionError(long errorCode, String reason) {
      }

      @Override
      public void onWrongMessageKind(String reason) {
      }

      @Override
      public void onStreamClosed(int streamId) {
        pair.server.events.add("closed " + streamId);
      }
    };
    StreamEndpoint server = new StreamEndpoint(Role.SERVER, StreamSettings.DEFAULTS,
        BinaryMessageCodec.SUBPROTOCOL, (text, payload) -> { }, Runnable::run, resetting);
    pair.server.endpoint = server;
    server.start();
    server.receive(false, EndpointPair.raw(new StreamFrame.Settings(StreamSettings.DEFAULTS),
        new StreamFrame.Data(1, false, BinaryMessageCodec.INSTANCE.encode(publish(1)))));

    assertThat(pair.server.events).containsExactly("handling 1", "handled 1", "closed 1");
  }

  @Test
  void framesWrittenInOneTurnShareOneWebSocketMessage() {
    EndpointPair pair = EndpointPair.started(BinaryMessageCodec.SUBPROTOCOL);
    int before = pair.client.written.size();
    int stream = pair.client.endpoint.openStream();
    for (int i = 1; i <= 5; i++) {
      pair.client.endpoint.send(stream, publish(i), false);
    }
    pair.client.endTurn();

    assertThat(pair.client.written).hasSize(before + 1);
  }
}
