package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks that a server still serves a fresh client: a text echo and a clean close handshake. */
final class EchoProbe {
  private EchoProbe() {}

  static void assertServesFreshClient(int port) {
    try (RawClient client = RawClient.open(port, "/echo")) {
      client.write(ClientFrames.text("still serving"));
      ServerFrame echo = client.readFrame();
      assertThat(echo.opcode()).as("echo opcode").isEqualTo(ClientFrames.TEXT);
      assertThat(echo.fin()).as("echo FIN").isTrue();
      assertThat(echo.masked()).as("server frames are never masked").isFalse();
      assertThat(echo.text()).isEqualTo("still serving");
      client.write(ClientFrames.close(1000, ""));
      assertThat(client.readFrame().closeCode()).isEqualTo(1000);
      client.assertClosedByServer();
    }
  }
}
