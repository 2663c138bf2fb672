package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.ws.CloseCodes;
import io.braid.protocol.ws.Opcode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The annotated session of docs/PROTOCOL.md section 7, replayed against a running broker on its defaults: the
 * client's lines are sent as they are, and every byte of every stream frame the broker sends must be the
 * transcript's, in the transcript's order, so that the document cannot drift from the server again. How frames are
 * batched into WebSocket messages is the sender's choice (PROTOCOL.md 5.2), so binary frames are compared one by one,
 * not message by message.
 */
class SessionTranscriptIT {

  @RegisterExtension
  final BrokerExtension broker = new BrokerExtension();

  @Test
  void theBinaryTranscriptIsWhatTheBrokerSendsByteForByte() throws IOException {
    List<String> lines = lines("vectors/session/session.hex");
    try (BrokerTestClient client = BrokerTestClient.open(broker.port(), BrokerTestClient.BINARY)) {
      List<String> received = new ArrayList<>();
      List<String> expected = new ArrayList<>();
      for (String line : lines) {
        byte[] bytes = HexFormat.of().parseHex(line.substring(2));
        if (line.startsWith("C ")) {
          client.sendWebSocket(Opcode.BINARY, Buffer.buffer(bytes));
        } else {
          expected.addAll(rawFrames(bytes));
          while (received.size() < expected.size()) {
            received.addAll(rawFrames(client.raw().readFrame().payload()));
          }
        }
      }
      assertThat(received).isEqualTo(expected);
      client.expectClose(CloseCodes.NORMAL);
    }
  }

  @Test
  void theJsonTranscriptIsWhatTheBrokerSendsByteForByte() throws IOException {
    List<String> lines = lines("vectors/session/session.jsonl");
    try (BrokerTestClient client = BrokerTestClient.open(broker.port(), BrokerTestClient.JSON)) {
      List<String> received = new ArrayList<>();
      List<String> expected = new ArrayList<>();
      for (String line : lines) {
        String text = line.substring(2);
        if (line.startsWith("C ")) {
          client.sendWebSocket(Opcode.TEXT, Buffer.buffer(text));
        } else {
          expected.add(text);
          received.add(client.raw().readFrame().text()); // one frame per text message, as sent
        }
      }
      assertThat(received).isEqualTo(expected);
      client.expectClose(CloseCodes.NORMAL);
    }
  }

  /**
   * The stream frames of one binary WebSocket message, each as the hex of its bytes exactly as sent: stream id
   * (varint), type and flags (one byte), length (varint), payload.
   */
  private static List<String> rawFrames(byte[] message) {
    List<String> frames = new ArrayList<>();
    int position = 0;
    while (position < message.length) {
      int start = position;
      position = skipVarint(message, position); // stream id
      position++; // type and flags
      int[] length = new int[1];
      position = readVarint(message, position, length);
      position += length[0];
      frames.add(HexFormat.of().formatHex(message, start, position));
    }
    return frames;
  }

  private static int skipVarint(byte[] bytes, int position) {
    return readVarint(bytes, position, new int[1]);
  }

  private static int readVarint(byte[] bytes, int position, int[] value) {
    int shift = 0;
    int b;
    do {
      b = bytes[position++];
      value[0] |= (b & 0x7F) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    return position;
  }

  private static List<String> lines(String resource) throws IOException {
    try (InputStream in = SessionTranscriptIT.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
    }
  }
}
