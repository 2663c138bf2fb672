package io.braid.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The load tool measures real echoes: a short run against each built-in target connects every
 * connection, gets echoes back and records their latencies, with no errors.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadRunTest {
  private static final LoadSpec SHORT_RUN = new LoadSpec(2, 100, false, 1, 0, 1, 1, Compression.off);
  private static final LoadSpec COMPRESSED_RUN = new LoadSpec(2, 1024, true, 1, 0, 1, 1, Compression.on);

  @Test
  void braidEchoTargetReturnsEveryMessage() throws Exception {
    assertMeasuresEchoes(EchoTarget.braid(1).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
  }

  @Test
  void vertxEchoTargetReturnsEveryMessage() throws Exception {
    assertMeasuresEchoes(EchoTarget.vertx(1).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
  }

  @Test
  void braidEchoTargetReturnsEveryCompressedMessage() throws Exception {
    assertMeasuresEchoes(EchoTarget.braid(1, Compression.on).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS),
        COMPRESSED_RUN);
  }

  @Test
  void vertxEchoTargetReturnsEveryCompressedMessage() throws Exception {
    assertMeasuresEchoes(EchoTarget.vertx(1, Compression.on).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS),
        COMPRESSED_RUN);
  }

  @Test
  void jsonPayloadsCompressAsRealMessagesDo() {
    byte[] json = LoadRun.jsonPayload(1024);
    java.util.zip.Deflater deflater = new java.util.zip.Deflater(6, true);
    deflater.setInput(json);
    deflater.finish();
    int compressed = deflater.deflate(new byte[2048]);
    deflater.end();
    assertThat(json).hasSize(1024);
    assertThat(compressed).isBetween(1024 / 8, 1024 / 2);
  }

  private static void assertMeasuresEchoes(EchoTarget target) throws Exception {
    assertMeasuresEchoes(target, SHORT_RUN);
  }

  private static void assertMeasuresEchoes(EchoTarget target, LoadSpec spec) throws Exception {
    ByteArrayOutputStream progressOutput = new ByteArrayOutputStream();
    try {
      LoadResult result = new LoadRun(target, spec,
          new Progress(new PrintStream(progressOutput, true, StandardCharsets.UTF_8), Progress.Mode.LINES)).run();

      assertThat(result.connected()).isEqualTo(2);
      assertThat(result.errors()).isZero();
      assertThat(result.messages()).isPositive();
      assertThat(result.latency().getTotalCount()).isPositive();
      assertThat(result.latency().getValueAtPercentile(50)).isPositive();
      assertThat(result.messagesPerSecond()).isPositive();
    } finally {
      target.close();
    }
  }
}
