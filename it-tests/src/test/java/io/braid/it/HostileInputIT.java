package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.ConnAck;
import io.braid.protocol.message.Connect;
import io.braid.protocol.message.Disconnect;
import io.braid.protocol.message.PubAck;
import io.braid.protocol.message.Publish;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.message.SubAck;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.mux.ErrorCode;
import io.braid.protocol.mux.StreamFrame;
import io.braid.protocol.mux.StreamSettings;
import io.braid.protocol.ws.CloseCodes;
import io.braid.protocol.ws.Opcode;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Input an independent client found to be mishandled: text with no UTF-8 form echoed back, duplicate JSON frame
 * fields, enhanced authentication, one bad SETTINGS value answered two ways. Each gets its documented answer, never
 * close 1011, and a fresh client is served afterwards.
 */
class HostileInputIT {

  @RegisterExtension
  final BrokerExtension broker = new BrokerExtension();

  private static Connect connect(String clientId) {
    return Connect.builder(clientId).cleanStart(true).keepAlive(30).build();
  }

  private void assertServesAFreshClient(String subprotocol) {
    try (BrokerTestClient fresh = BrokerTestClient.connected(broker.port(), subprotocol, connect("fresh"))) {
      fresh.send(1, true, Publish.of("health", Buffer.buffer("ok"), 1, 1));
      assertThat(fresh.nextMessageOn(1)).isInstanceOf(PubAck.class);
    }
  }

  @Test
  void aLoneSurrogateAsTheFirstMessagesTypeGetsConnAck0x81AndClose1002() {
    try (BrokerTestClient client = BrokerTestClient.open(broker.port(), BrokerTestClient.JSON)) {
      client.send(new StreamFrame.Settings(StreamSettings.DEFAULTS));
      client.sendWebSocket(Opcode.TEXT, Buffer.buffer("{\"stream\":0,\"message\":{\"type\":\"\\ud800\"}}"));

      List<BraidMessage> last = client.expectClose(CloseCodes.PROTOCOL_ERROR);

      ConnAck refused = (ConnAck) last.get(last.size() - 1);
      assertThat(refused.reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
      assertThat(refused.reasonString()).isEqualTo("message.type: unknown type '\\ud800'");
    }
    assertServesAFreshClient(BrokerTestClient.JSON);
  }

  @Test
  void aLoneSurrogateAfterConnectGetsDisconnect0x81NotAnInternalError() {
    try (BrokerTestClient client = BrokerTestClient.connected(broker.port(), BrokerTestClient.JSON,
        connect("surrogate"))) {
      client.sendWebSocket(Opcode.TEXT, Buffer.buffer("{\"stream\":0,\"message\":{\"type\":\"ping\",\"\\ud800\":1}}"));

      List<BraidMessage> last = client.expectClose(CloseCodes.PROTOCOL_ERROR);

      Disconnect disconnect = (Disconnect) last.get(last.size() - 1);
      assertThat(disconnect.reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
      assertThat(disconnect.reasonString()).isEqualTo("ping.'\\ud800': unknown field");
    }
    assertServesAFreshClient(BrokerTestClient.JSON);
  }

  @Test
  void aLoneSurrogateInAMessageOnAStreamResetsOnlyThatStream() {
    try (BrokerTestClient client = BrokerTestClient.connected(broker.port(), BrokerTestClient.JSON,
        connect("surrogate-stream"))) {
      client.sendWebSocket(Opcode.TEXT, Buffer.buffer(
          "{\"stream\":1,\"message\":{\"type\":\"publish\",\"topic\":\"\\udfff\",\"payload\":\"\",\"encoding\":\"utf8\"}}"));

      assertThat(client.nextSignificantFrame()).isEqualTo(new StreamFrame.Reset(1, ErrorCode.MESSAGE_ERROR));
      client.send(3, false, Subscribe.of("still/works", 0));
      assertThat(client.nextMessageOn(3)).isInstanceOf(SubAck.class);
    }
  }

  @Test
  void aJsonFrameWithADuplicateFieldIsAConnectionErrorNotLastOneWins() {
    try (BrokerTestClient client = BrokerTestClient.connected(broker.port(), BrokerTestClient.JSON,
        connect("duplicate"))) {
      client.sendWebSocket(Opcode.TEXT, Buffer.buffer(
          "{\"stream\":1,\"stream\":3,\"message\":{\"type\":\"subscribe\",\"topicFilter\":\"t\"}}"));

      StreamFrame goAway = client.nextSignificantFrame();
      assertThat(goAway).isInstanceOf(StreamFrame.GoAway.class);
      assertThat(((StreamFrame.GoAway) goAway).errorCode()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
      assertThat(((StreamFrame.GoAway) goAway).reason()).isEqualTo("frame: duplicate field 'stream'");
      client.expectClose(CloseCodes.PROTOCOL_ERROR);
    }
    assertServesAFreshClient(BrokerTestClient.JSON);
  }

  @ParameterizedTest
  @ValueSource(strings = {BrokerTestClient.BINARY, BrokerTestClient.JSON})
  void connectWithAnAuthMethodIsRefusedWith0x8CNotTakenAsAnonymous(String subprotocol) {
    try (BrokerTestClient client = BrokerTestClient.open(broker.port(), subprotocol)) {
      ConnAck refused = client.connect(Connect.builder("scram").cleanStart(true).keepAlive(30)
          .auth("SCRAM-SHA-256", Buffer.buffer("client-first")).build());

      assertThat(refused.reasonCode()).isEqualTo(ReasonCode.BAD_AUTHENTICATION_METHOD);
      assertThat(refused.reasonString()).contains("'SCRAM-SHA-256'");
      client.expectClose(CloseCodes.POLICY_VIOLATION);
    }
    assertThat(TestBrokers.metric(broker.runtime(), "braid_auth_failures_total{reason_code=\"0x8C\"}")).isEqualTo(1);
    assertServesAFreshClient(subprotocol);
  }

  @ParameterizedTest
  @ValueSource(strings = {BrokerTestClient.BINARY, BrokerTestClient.JSON})
  void aSettingsValueOutOfRangeGetsProtocolErrorInBothSubprotocols(String subprotocol) {
    try (BrokerTestClient client = BrokerTestClient.open(broker.port(), subprotocol)) {
      if (BrokerTestClient.JSON.equals(subprotocol)) {
        client.sendWebSocket(Opcode.TEXT, Buffer.buffer(
            "{\"stream\":0,\"frame\":\"settings\",\"settings\":{\"maxFramePayload\":100}}"));
      } else {
        client.sendWebSocket(Opcode.BINARY, Buffer.buffer(new byte[] {0x00, 0x20, 0x02, 0x04, 0x64}));
      }

      StreamFrame goAway = client.nextSignificantFrame();
      assertThat(goAway).isInstanceOf(StreamFrame.GoAway.class);
      assertThat(ErrorCode.name(((StreamFrame.GoAway) goAway).errorCode())).isEqualTo("protocol_error");
      assertThat(((StreamFrame.GoAway) goAway).reason()).endsWith("maxFramePayload: 100 outside 1024..2147483647");
      client.expectClose(CloseCodes.PROTOCOL_ERROR);
    }
    assertServesAFreshClient(subprotocol);
  }
}
