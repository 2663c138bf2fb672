package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.examples.SdkQuickStart;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's "Using the SDK" example cannot rot: the README shows {@link SdkQuickStart} as it is compiled here, and
 * it runs against a broker.
 */
class ReadmeSdkExampleIT {

  private static final Path EXAMPLE = Path.of("src/test/java/io/braid/examples/SdkQuickStart.java");
  private static final Path README = Path.of("../README.md");

  @RegisterExtension
  final BrokerExtension broker = new BrokerExtension();

  @Test
  void theReadmeShowsTheExampleAsCompiled() throws Exception {
    String example = Files.readString(EXAMPLE, StandardCharsets.UTF_8);
    String body = example.substring(example.indexOf("import "));

    assertThat(Files.readString(README, StandardCharsets.UTF_8)).contains("```java\n" + body + "```\n");
  }

  @Test
  void theExampleRunsAgainstABroker() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      SdkQuickStart.main(new String[] {"ws://" + TestServers.HOST + ":" + broker.port() + "/braid"});
    } finally {
      System.setOut(original);
    }

    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("connection: Connected[")
        .contains("home/kitchen/temperature = 21.5").contains("home/hall/temperature = 21.5")
        .contains("home/attic/temperature = 21.5");
  }
}
