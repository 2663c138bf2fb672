package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.braid.client.BraidClient;
import io.braid.client.BraidClientOptions;
import io.braid.client.ClientStore;
import io.braid.client.ReceivedMessage;
import io.braid.client.ReconnectPolicy;
import io.braid.client.Subscription;
import io.braid.protocol.message.RecoveryReport;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.message.SubscribeStart;
import io.braid.protocol.message.TopicPosition;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK on topics that keep a history: a subscription that starts in it, the automatic resume after the last
 * position on every reconnect (a clean session: only the history covers the time away), the recovery report of each,
 * and the position kept in the client's file store for the next run of the process.
 */
class SdkHistoryIT {

  private static final String TOPIC = "chat/rooms/1";
  private static Vertx vertx;

  @RegisterExtension
  final BrokerExtension broker = new BrokerExtension("history.filters", "chat/#", "history.maxMessages", "20");

  @TempDir
  Path directory;
  private FaultyProxy proxy;
  private final List<BraidClient> clients = new ArrayList<>();

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void closeClients() throws Exception {
    for (BraidClient client : clients) {
      client.disconnect().await(10, TimeUnit.SECONDS);
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void aSubscriptionStartingWithTheLastMessagesGetsThemAndACompleteRecovery() throws Exception {
    publish(1, 5);
    List<String> received = new CopyOnWriteArrayList<>();
    BraidClient subscriber = client(options(broker.port(), "reader"));
    join(subscriber.connect());

    Subscription subscription = join(subscriber.subscribe(Subscribe.of(TOPIC, 1)
        .withStart(new SubscribeStart.Last(3))));
    subscription.handler(message -> received.add(message.payload().toString()));

    await().until(() -> received.size() == 3);
    assertThat(received).containsExactly("m3", "m4", "m5");
    assertThat(subscription.recovery().status()).isEqualTo(RecoveryReport.Status.COMPLETE);
    assertThat(subscription.recovery().latest().offset()).isEqualTo(5);
    await().until(() -> subscription.lastPosition() != null && subscription.lastPosition().offset() == 5);
  }

  @Test
  void aCleanSessionResumesAfterItsLastPositionOnReconnectWithNoGapAndNoDuplicate() throws Exception {
    proxy = FaultyProxy.start(vertx, broker.port());
    List<ReceivedMessage> received = new CopyOnWriteArrayList<>();
    List<RecoveryReport> reports = new CopyOnWriteArrayList<>();
    BraidClient subscriber = client(options(proxy.port(), "resumer"));
    join(subscriber.connect());
    Subscription subscription = join(subscriber.subscribe(Subscribe.of(TOPIC, 1)));
    subscription.recoveryHandler(reports::add).handler(received::add);
    publish(1, 3);
    await().until(() -> received.size() == 3);

    awayWhile(() -> publish(4, 8));

    await().until(() -> received.size() == 8);
    assertThat(received).extracting(m -> m.payload().toString())
        .containsExactly("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8");
    assertThat(received).extracting(m -> m.position().offset()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(reports).singleElement().extracting(RecoveryReport::status).isEqualTo(RecoveryReport.Status.COMPLETE);
  }

  @Test
  void aResumeBeyondTheHistoryIsReportedAsAGapWithItsRange() throws Exception {
    proxy = FaultyProxy.start(vertx, broker.port());
    List<String> received = new CopyOnWriteArrayList<>();
    List<RecoveryReport> reports = new CopyOnWriteArrayList<>();
    BraidClient subscriber = client(options(proxy.port(), "traveller"));
    join(subscriber.connect());
    Subscription subscription = join(subscriber.subscribe(Subscribe.of(TOPIC, 1)));
    subscription.recoveryHandler(reports::add).handler(message -> received.add(message.payload().toString()));
    publish(1, 1);
    await().until(() -> received.size() == 1);

    awayWhile(() -> publish(2, 31)); // the history keeps 20: 12..31

    await().until(() -> received.size() == 21);
    assertThat(reports).singleElement().isEqualTo(new RecoveryReport(RecoveryReport.Status.GAP, 2, 11,
        RecoveryReport.GapReason.TRIMMED, reports.get(0).latest()));
    assertThat(received.get(1)).isEqualTo("m12");
  }

  @Test
  void theFileStoreKeepsThePositionForTheNextRunOfTheProcess() throws Exception {
    Path store = directory.resolve("client.db");
    List<String> first = new CopyOnWriteArrayList<>();
    BraidClient before = BraidClient.create(vertx, options(broker.port(), "diary").store(ClientStore.file(store)));
    join(before.connect());
    join(before.subscribe(TOPIC, 1, message -> first.add(message.payload().toString())));
    publish(1, 3);
    await().until(() -> first.size() == 3);
    join(before.disconnect());
    publish(4, 5);

    BraidClient after = client(options(broker.port(), "diary").store(ClientStore.file(store)));
    TopicPosition stored = after.storedPosition(TOPIC);
    assertThat(stored.offset()).isEqualTo(3);
    List<String> second = new CopyOnWriteArrayList<>();
    join(after.connect());
    Subscription resumed = join(after.subscribe(Subscribe.of(TOPIC, 1).withStart(new SubscribeStart.After(stored))));
    resumed.handler(message -> second.add(message.payload().toString()));

    await().until(() -> second.size() == 2);
    assertThat(second).containsExactly("m4", "m5");
    assertThat(resumed.recovery().status()).isEqualTo(RecoveryReport.Status.COMPLETE);
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static BraidClientOptions options(int port, String clientId) {
    return new BraidClientOptions().uris("ws://" + TestServers.HOST + ":" + port + "/braid").clientId(clientId)
        .reconnect(new ReconnectPolicy(50, 200, 0));
  }

  private BraidClient client(BraidClientOptions options) {
    BraidClient client = BraidClient.create(vertx, options);
    clients.add(client);
    return client;
  }

  /** Publishes m{from}..m{to} at QoS 1 and waits for each PUBACK. */
  private void publish(int from, int to) throws Exception {
    BraidClient publisher = BraidClient.create(vertx, options(broker.port(), "publisher"));
    join(publisher.connect());
    for (int i = from; i <= to; i++) {
      join(publisher.publish(TOPIC, Buffer.buffer("m" + i), 1));
    }
    join(publisher.disconnect());
  }

  /** Cuts the subscriber's connection and keeps it away (the proxy leads nowhere) while {@code action} runs. */
  private void awayWhile(ThrowingRunnable action) throws Exception {
    int nowhere;
    try (ServerSocket closed = new ServerSocket(0)) {
      nowhere = closed.getLocalPort();
    }
    proxy.target(nowhere);
    proxy.cutAll();
    action.run();
    proxy.target(broker.port());
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }
}
