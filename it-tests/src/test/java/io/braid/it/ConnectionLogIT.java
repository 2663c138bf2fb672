package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.braid.protocol.message.Connect;
import io.braid.protocol.mux.StreamFrame;
import io.braid.protocol.ws.Opcode;
import io.braid.server.BrokerRuntime;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The broker's log tells how a connection ended: the close code the server sent when the client sent none. */
class ConnectionLogIT {

  private final Logger serverLog = (Logger) LoggerFactory.getLogger("io.braid.server");
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private Level levelBefore;
  private BrokerRuntime broker;

  @BeforeEach
  void start() {
    levelBefore = serverLog.getLevel();
    serverLog.setLevel(Level.INFO);
    lines.start();
    serverLog.addAppender(lines);
    broker = TestBrokers.start();
  }

  @AfterEach
  void stop() throws Exception {
    TestBrokers.stop(broker);
    serverLog.detachAppender(lines);
    serverLog.setLevel(levelBefore);
  }

  @Test
  void aCloseTheServerMadeIsLoggedWithItsCodeNot1006() {
    try (BrokerTestClient client = BrokerTestClient.connected(broker.port(), BrokerTestClient.BINARY,
        Connect.builder("abrupt").cleanStart(true).keepAlive(30).build())) {
      client.sendWebSocket(Opcode.BINARY, Buffer.buffer(new byte[] {0x01, (byte) 0xF0, 0x00})); // frame type 0xF
      assertThat(client.nextSignificantFrame()).isInstanceOf(StreamFrame.GoAway.class);
    } // TCP closed without answering the server's close frame

    await().untilAsserted(() -> assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(line -> assertThat(line).startsWith("connection closed client_id=abrupt")
            .contains("close_code=1002")));
  }
}
