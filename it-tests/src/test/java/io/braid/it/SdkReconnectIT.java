package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.braid.client.BraidClient;
import io.braid.client.BraidClientOptions;
import io.braid.client.ConnectionState;
import io.braid.client.ReceivedMessage;
import io.braid.client.ReconnectPolicy;
import io.braid.client.Subscription;
import io.braid.protocol.message.SubscribeOptions;
import io.braid.server.BrokerRuntime;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SDK when connections fail: reconnect through a proxy that cuts them, resume with every subscription and the
 * publishes made meanwhile, failover across two brokers, a fresh token on each connect, GOAWAY followed, and
 * backpressure from a paused subscription to the publisher.
 */
class SdkReconnectIT {

  private static Vertx vertx;

  @RegisterExtension
  final BrokerExtension broker = new BrokerExtension();

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

  private BraidClient client(BraidClientOptions options) {
    BraidClient client = BraidClient.create(vertx, options.reconnect(new ReconnectPolicy(50, 500, 0)));
    clients.add(client);
    return client;
  }

  private static String uri(int port) {
    return "ws://" + TestServers.HOST + ":" + port + "/braid";
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  @Test
  void aCutConnectionIsResumedWithItsSubscriptionAndWhatWasPublishedMeanwhile() throws Exception {
    proxy = FaultyProxy.start(vertx, broker.port());
    List<ConnectionState> states = new CopyOnWriteArrayList<>();
    BraidClient subscriber = client(new BraidClientOptions().uris(uri(proxy.port())).clientId("resumer")
        .persistentSession(600)).stateHandler(states::add);
    List<String> received = new CopyOnWriteArrayList<>();
    join(subscriber.connect());
    join(subscriber.subscribe("news/#", 1, message -> received.add(message.payload().toString())));
    BraidClient publisher = client(new BraidClientOptions().uris(uri(broker.port())).clientId("press"));
    join(publisher.connect());

    join(publisher.publish("news/1", Buffer.buffer("before"), 1));
    await().until(() -> received.contains("before"));
    proxy.cutAll();
    await().until(() -> states.stream().anyMatch(ConnectionState.Reconnecting.class::isInstance));
    join(publisher.publish("news/2", Buffer.buffer("while away"), 1));
    Future<Void> queued = subscriber.publish("news/3", Buffer.buffer("from the outbox"), 1);

    await().until(() -> received.contains("while away") && received.contains("from the outbox"));
    join(queued);
    assertThat(received).containsExactly("before", "while away", "from the outbox");
    assertThat(states).anySatisfy(state -> assertThat(state).isEqualTo(new ConnectionState.Connected(
        java.net.URI.create(uri(proxy.port())), true)));
  }

  @Test
  void aMessageWhoseAsyncWorkDidNotFinishIsDeliveredAgainAfterACut() throws Exception {
    proxy = FaultyProxy.start(vertx, broker.port());
    List<ReceivedMessage> received = new CopyOnWriteArrayList<>();
    BraidClient subscriber = client(new BraidClientOptions().uris(uri(proxy.port())).clientId("worker")
        .persistentSession(600));
    join(subscriber.connect());
    Subscription subscription = join(subscriber.subscribe("jobs", SubscribeOptions.of(1)));
    subscription.asyncHandler(message -> {
      received.add(message);
      return received.size() == 1 ? Promise.<Void>promise().future() : Future.succeededFuture(); // first: never done
    });
    BraidClient producer = client(new BraidClientOptions().uris(uri(broker.port())).clientId("producer"));
    join(producer.connect());

    join(producer.publish("jobs", Buffer.buffer("job-1"), 1));
    join(producer.publish("jobs", Buffer.buffer("job-2"), 1));
    await().until(() -> received.size() == 1);
    proxy.cutAll();

    await().until(() -> received.size() == 3);
    assertThat(received).extracting(message -> message.payload().toString()).containsExactly("job-1", "job-1",
        "job-2"); // the second waited for the first, which the broker sent again as unacknowledged
    assertThat(received.get(1).dup()).isTrue();
  }

  @Test
  void failsOverToTheNextBrokerWhenTheFirstIsDown() throws Exception {
    BraidClient client = client(new BraidClientOptions().uris(uri(1), uri(broker.port())).clientId("failover"));
    List<ConnectionState> states = new CopyOnWriteArrayList<>();
    client.stateHandler(states::add);

    join(client.connect());

    assertThat(states).first().isEqualTo(new ConnectionState.Connecting(java.net.URI.create(uri(1)), 1));
    assertThat(client.state()).isInstanceOf(ConnectionState.Connected.class);
  }

  @Test
  void theTokenSupplierIsAskedAgainOnEveryConnect() throws Exception {
    proxy = FaultyProxy.start(vertx, broker.port());
    AtomicInteger asked = new AtomicInteger();
    BraidClient client = client(new BraidClientOptions().uris(uri(proxy.port())).clientId("tokens")
        .tokenSupplier(() -> {
          asked.incrementAndGet();
          return null; // anonymous broker: no token needed, but it must be asked
        }));
    join(client.connect());
    proxy.cutAll();
    await().until(() -> asked.get() >= 2 && client.state() instanceof ConnectionState.Connected);
  }

  @Test
  void goAwayAtAShutdownIsFollowedToTheOtherBroker() throws Exception {
    BrokerRuntime second = TestBrokers.start();
    try {
      BraidClient client = client(new BraidClientOptions().uris(uri(broker.port()), uri(second.port()))
          .clientId("mover"));
      List<ConnectionState> states = new CopyOnWriteArrayList<>();
      client.stateHandler(states::add);
      join(client.connect());

      broker.runtime().stop().await(20, TimeUnit.SECONDS); // GOAWAY, DISCONNECT 0x8B, close 1001

      await().atMost(Duration.ofSeconds(20)).until(() -> client.state() instanceof ConnectionState.Connected connected
          && connected.uri().getPort() == second.port());
      assertThat(states).anySatisfy(state -> assertThat(state).isInstanceOf(ConnectionState.Reconnecting.class));
    } finally {
      TestBrokers.stop(second);
    }
  }

  @Test
  void aPausedSubscriptionHoldsBackThePublisherInsteadOfFillingTheClient() throws Exception {
    BraidClient subscriber = client(new BraidClientOptions().uris(uri(broker.port())).clientId("slow")
        .persistentSession(600));
    join(subscriber.connect());
    List<ReceivedMessage> received = new CopyOnWriteArrayList<>();
    Subscription subscription = join(subscriber.subscribe("flood", 1, received::add));
    subscription.pause();
    BraidClient publisher = client(new BraidClientOptions().uris(uri(broker.port())).clientId("flooder"));
    join(publisher.connect());

    List<Future<Void>> published = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      published.add(publisher.publish("flood", Buffer.buffer("m" + i), 1));
    }
    Future.all(published).await(20, TimeUnit.SECONDS); // the broker queues what the subscriber does not take
    assertThat(received).isEmpty();
    await().until(() -> TestBrokers.metric(broker.runtime(), "braid_queued_messages")
        >= 500 - 32); // all but the stream's window wait in the broker, not in the client

    subscription.resume();

    await().until(() -> received.size() == 500);
    List<String> payloads = received.stream().map(message -> message.payload().toString()).toList();
    for (int i = 0; i < 500; i++) {
      assertThat(payloads.get(i)).isEqualTo("m" + i);
    }
  }
}
