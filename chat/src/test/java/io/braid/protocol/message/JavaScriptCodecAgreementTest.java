package io.braid.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The JavaScript codec of the chat page ({@code braid-json.js}) and the Java one agree: random messages of every type
 * (the protocol module's arbitraries), written by Java, read and written again by JavaScript under Node, read back by
 * Java, are the messages they were.
 */
class JavaScriptCodecAgreementTest {

  private static final int MESSAGES = 2_000;

  @Test
  void javaScriptWritesBackEveryMessageJavaWrote() throws Exception {
    List<BraidMessage> originals = MessageArbitraries.messages().sampleStream().limit(MESSAGES).toList();
    List<String> written = new ArrayList<>(MESSAGES);
    for (BraidMessage message : originals) {
      written.add(JsonMessageCodec.INSTANCE.encode(message).toString(StandardCharsets.UTF_8));
    }

    List<String> rewritten = recodeWithNode(written);

    assertThat(rewritten).hasSize(MESSAGES);
    for (int i = 0; i < MESSAGES; i++) {
      assertThat(rewritten.get(i)).as("JavaScript on %s", written.get(i)).doesNotStartWith("ERROR");
      BraidMessage readBack = JsonMessageCodec.INSTANCE.decode(Buffer.buffer(rewritten.get(i)));
      assertThat(readBack).as("%s -> %s", written.get(i), rewritten.get(i)).isEqualTo(originals.get(i));
    }
  }

  private static List<String> recodeWithNode(List<String> lines) throws Exception {
    Process node = new ProcessBuilder("node", "src/test/js/recode.mjs").redirectErrorStream(true).start();
    Thread feeder = new Thread(() -> {
      try (OutputStream in = node.getOutputStream()) {
        for (String line : lines) {
          in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    feeder.start();
    List<String> out = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(node.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        out.add(line);
      }
    }
    feeder.join(60_000);
    assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(node.exitValue()).as("node: %s", out).isZero();
    return out;
  }
}
