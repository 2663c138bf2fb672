package io.braid.pubsub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.history.HistoryRule;
import io.braid.pubsub.history.StartFrom;
import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.store.BrokerStore;
import io.braid.pubsub.store.InMemoryStore;
import io.braid.pubsub.subscription.SubscriptionOptions;
import io.braid.pubsub.topic.TopicFilter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A broker whose every executor runs tasks on the calling thread, with manual time: each call has done all its work
 * when it returns, so tests assert without waiting.
 */
final class BrokerFixture {

  static final Executor DIRECT = Runnable::run;

  final ManualTime time = new ManualTime();
  final BrokerOptions options;
  private final UnaryOperator<BrokerStore> reopen;
  private final List<HistoryRule> histories;
  private List<TopicFilter> presence = List.of();
  BrokerStore store;
  Broker broker;

  BrokerFixture() {
    this(BrokerOptions.DEFAULTS);
  }

  BrokerFixture(BrokerOptions options) {
    this(options, new InMemoryStore());
  }

  BrokerFixture(BrokerOptions options, BrokerStore store) {
    this(options, store, closed -> ((InMemoryStore) closed).reopen());
  }

  /** A broker on {@code store}; {@code reopen} gives the store to restart on after the broker closed the last one. */
  BrokerFixture(BrokerOptions options, BrokerStore store, UnaryOperator<BrokerStore> reopen) {
    this(options, store, reopen, List.of());
  }

  /** A broker whose topics matching {@code histories} keep a history. */
  BrokerFixture(BrokerOptions options, BrokerStore store, UnaryOperator<BrokerStore> reopen,
      List<HistoryRule> histories) {
    this.options = options;
    this.store = store;
    this.reopen = reopen;
    this.histories = histories;
    this.broker = build();
  }

  /** An in-memory broker whose topics matching {@code filter} keep their last {@code maxMessages} messages. */
  static BrokerFixture withHistory(String filter, int maxMessages) {
    return new BrokerFixture(BrokerOptions.DEFAULTS, new InMemoryStore(), closed -> ((InMemoryStore) closed).reopen(),
        List.of(new HistoryRule(TopicFilter.parse(filter), maxMessages, 0)));
  }

  private Broker build() {
    return Broker.builder().options(options).store(store).scheduler(time).clock(time).offlineExecutor(DIRECT)
        .histories(histories).presence(presence).build();
  }

  /** This fixture with a broker that tracks the members of topics matching {@code filters} (before any client). */
  BrokerFixture withPresence(String... filters) {
    broker.close();
    store = reopen.apply(store);
    presence = java.util.Arrays.stream(filters).map(TopicFilter::parse).toList();
    broker = build();
    return this;
  }

  /** Closes the broker and builds a new one on the same store, as a restart does. */
  void restart() {
    broker.close();
    store = reopen.apply(store);
    broker = build();
  }

  /** A connected, started client. */
  Client connect(ConnectRequest request) {
    RecordingLink link = new RecordingLink();
    ConnectResult result = join(broker.connect(request, link, DIRECT));
    result.handle().start();
    return new Client(request.clientId(), link, result);
  }

  Client connectClean(String clientId) {
    return connect(ConnectRequest.clean(clientId));
  }

  Client connectPersistent(String clientId) {
    return connect(ConnectRequest.persistent(clientId, 3600));
  }

  static <T> T join(java.util.concurrent.CompletableFuture<T> future) {
    try {
      return future.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** One connected client: its link and session handle. */
  record Client(String clientId, RecordingLink link, ConnectResult connect) {

    SessionHandle session() {
      return connect.handle();
    }

    void subscribe(String filter, int maxQos) {
      session().subscribe(TopicFilter.parse(filter), SubscriptionOptions.ofMaxQos(maxQos));
    }

    SessionHandle.SubscribeResult subscribe(String filter, int maxQos, StartFrom start) {
      return session().subscribe(TopicFilter.parse(filter), SubscriptionOptions.ofMaxQos(maxQos), start);
    }

    void subscribe(String filter, int maxQos, QueueOverflowPolicy policy, int maxQueued) {
      session().subscribe(TopicFilter.parse(filter), SubscriptionOptions.ofMaxQos(maxQos), StartFrom.NOW,
          new SubscriptionLimit(policy, maxQueued));
    }

    void subscribe(String filter, SubscriptionOptions options) {
      session().subscribe(TopicFilter.parse(filter), options);
    }

    AckReason publish(String topic, String payload, int qos) {
      return publish(topic, payload, qos, false);
    }

    AckReason publish(String topic, String payload, int qos, boolean retain) {
      return publish(ApplicationMessage.of(clientId, topic, bytes(payload), qos, retain), qos == 0 ? 0 : nextId());
    }

    AckReason publish(ApplicationMessage message, int packetId) {
      return join(session().publish(message, packetId));
    }

    private static int nextId() {
      return (int) (System.nanoTime() % 60_000) + 1;
    }

    /** Acknowledges every in-flight delivery as a well-behaved client would (PUBACK, or PUBREC then PUBCOMP). */
    void acknowledgeAll() {
      for (OutboundPublish publish : link.publishes) {
        if (publish.qos() == 1) {
          session().pubAck(publish.packetId());
        } else if (publish.qos() == 2) {
          session().pubRec(publish.packetId(), false);
        }
      }
      for (int packetId : link.pubRels) {
        session().pubComp(packetId);
      }
    }

    void assertReceived(String... payloads) {
      assertThat(link.payloads()).containsExactly(payloads);
    }
  }
}
