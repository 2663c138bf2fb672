package io.braid.it;

import io.braid.client.BlockingBraidClient;
import io.braid.client.BraidClient;
import io.braid.client.BraidClientOptions;
import io.braid.client.ClientStore;
import io.braid.client.PendingPublish;
import io.braid.client.ReconnectPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An application on the SDK with a file store, run in a child JVM by {@link SdkProcessKillIT}, which kills it and
 * starts it again on the same store. Each writes what the application saw to a log file of "topic sequence" lines,
 * one write per line, so that what it wrote survives the kill.
 *
 * <ul>
 *   <li>{@code subscribe uri clientId store log}: subscribes to {@code kill/#} at QoS 2 and logs each message the
 *       handler gets. Prints "subscribed" once the subscription is granted; runs until killed.
 *   <li>{@code publish uri clientId store log count}: publishes 1..count to {@code kill/1} at QoS 1 and
 *       {@code kill/2} at QoS 2, in turn, each with the blocking client, logging each once acknowledged. After a
 *       restart it goes on after the higher of the last it logged and the last the store still holds, which the SDK
 *       sends again itself: the resumption rule of {@link BraidClient#pendingPublishes()}. Prints "publishing" once
 *       connected and exits with status 0 when all are acknowledged.
 * </ul>
 */
public final class SdkChildClient {

  static final List<String> TOPICS = List.of("kill/1", "kill/2");

  private SdkChildClient() {
  }

  public static void main(String[] args) throws Exception {
    String uri = args[1];
    String clientId = args[2];
    Path store = Path.of(args[3]);
    Path log = Path.of(args[4]);
    BraidClientOptions options = new BraidClientOptions().uris(uri).clientId(clientId).persistentSession(600)
        .reconnect(new ReconnectPolicy(20, 500, 0)).store(ClientStore.file(store));
    try (FileChannel out = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      if (args[0].equals("subscribe")) {
        subscribe(options, out);
      } else {
        publish(options, log, out, Integer.parseInt(args[5]));
      }
    }
  }

  private static void subscribe(BraidClientOptions options, FileChannel out) throws Exception {
    Vertx vertx = Vertx.vertx();
    BraidClient client = BraidClient.create(vertx, options);
    client.connect().await(30, TimeUnit.SECONDS);
    client.subscribe("kill/#", 2, message -> write(out, message.topic(), message.payload().toString()))
        .await(30, TimeUnit.SECONDS);
    System.out.println("subscribed");
    Thread.sleep(Long.MAX_VALUE); // until killed
  }

  private static void publish(BraidClientOptions options, Path log, FileChannel out, int count) throws Exception {
    try (BlockingBraidClient client = BraidClient.blocking(options)) {
      Map<String, Integer> last = lastLogged(log);
      for (PendingPublish pending : client.pendingPublishes()) {
        last.merge(pending.topic(), Integer.parseInt(pending.payload().toString()), Math::max);
      }
      client.connect();
      System.out.println("publishing");
      for (int sequence = 1; sequence <= count; sequence++) {
        for (int qos = 1; qos <= 2; qos++) {
          String topic = TOPICS.get(qos - 1);
          if (sequence > last.getOrDefault(topic, 0)) {
            client.publish(topic, Buffer.buffer(Integer.toString(sequence)), qos);
            write(out, topic, Integer.toString(sequence));
          }
        }
      }
      for (PendingPublish pending : client.pendingPublishes()) {
        pending.acknowledged().await(30, TimeUnit.SECONDS);
      }
    }
    System.exit(0);
  }

  private static Map<String, Integer> lastLogged(Path log) throws IOException {
    Map<String, Integer> last = new HashMap<>();
    for (String line : Files.readAllLines(log)) {
      String[] parts = line.split(" ");
      if (parts.length == 2) {
        last.merge(parts[0], Integer.parseInt(parts[1]), Math::max);
      }
    }
    return last;
  }

  private static synchronized void write(FileChannel out, String topic, String sequence) {
    try {
      out.write(ByteBuffer.wrap((topic + " " + sequence + "\n").getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
