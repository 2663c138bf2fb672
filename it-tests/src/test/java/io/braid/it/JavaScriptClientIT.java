package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.server.BrokerRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The chat page's JavaScript client ({@code chat/src/main/resources/chat-web/braid-client.js}) against a running
 * broker, under Node's own WebSocket: the scenarios of {@code chat/src/test/js-it/client-against-broker.test.mjs}.
 */
class JavaScriptClientIT {

  private BrokerRuntime broker;

  @AfterEach
  void stop() throws Exception {
    TestBrokers.stop(broker);
  }

  @Test
  void theJavaScriptClientPublishesSubscribesResumesAndWatchesPresence() throws Exception {
    broker = TestBrokers.start("history.filters", "chat/rooms/+", "presence.filters", "chat/rooms/+");
    Path chat = Path.of("..", "chat").toAbsolutePath().normalize();
    ProcessBuilder node = new ProcessBuilder("node", "--experimental-websocket", "--test", "src/test/js-it/")
        .directory(chat.toFile()).redirectErrorStream(true);
    node.environment().put("BROKER_URL", "ws://" + TestServers.HOST + ":" + broker.port() + "/braid");
    Process process = node.start();
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String report = new String(output, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("node --test:%n%s", report).isZero();
    assertThat(report).contains("# pass 4").contains("# fail 0");
  }
}
