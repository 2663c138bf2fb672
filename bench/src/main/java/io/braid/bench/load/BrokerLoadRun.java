package io.braid.bench.load;

import io.braid.protocol.message.Connect;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One broker scenario: publishers and subscribers as Braid clients of the broker under load, publish-to-delivery
 * latency from a timestamp in each payload (publishers and subscribers share this JVM's clock), delivered
 * messages counted by the subscribers.
 *
 * <p>Each publisher keeps at most {@link Scenario#window()} messages outstanding (published, not yet delivered to
 * every subscriber of its topic) and publishes the next as deliveries complete, within the broker's credit: the
 * broker runs as fast as it can deliver, without queueing without bound.
 */
final class BrokerLoadRun {

  /** Payload bytes of every message (the 100 bytes): send time, publisher number, padding. */
  static final int PAYLOAD = 100;
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final int CONNECT_CONCURRENCY = 200;

  /**
   * A scenario: {@code clients} Braid clients, each publishing to {@link #topicOf} its number, subscribing to
   * {@link #filterOf} its number, or both.
   *
   * @param fanout subscribers of each publisher's topic
   * @param window messages a publisher keeps outstanding
   */
  record Scenario(String name, int clients, Role role, int fanout, int window, boolean history) {

    enum Role { ONE_TO_ONE, FAN_OUT, FAN_IN, TOPICS }

    boolean publishes(int client) {
      return switch (role) {
        case ONE_TO_ONE, FAN_OUT -> client == 0;
        case FAN_IN -> client > 0;
        case TOPICS -> true;
      };
    }

    String topicOf(int client) {
      return kept(plainTopicOf(client));
    }

    /** The filter client {@code client} subscribes to, or null. */
    String filterOf(int client) {
      return kept(plainFilterOf(client));
    }

    /** {@code topic} under {@code load/history/} for a history scenario (the broker keeps history there). */
    private String kept(String topic) {
      return topic == null || !history ? topic : "load/history/" + topic.substring("load/".length());
    }

    private String plainTopicOf(int client) {
      return switch (role) {
        case ONE_TO_ONE -> "load/one";
        case FAN_OUT -> "load/fan-out";
        case FAN_IN -> "load/fan-in/" + client;
        case TOPICS -> "load/topic/" + client;
      };
    }

    private String plainFilterOf(int client) {
      return switch (role) {
        case ONE_TO_ONE -> client == 1 ? "load/one" : null;
        case FAN_OUT -> client > 0 ? "load/fan-out" : null;
        case FAN_IN -> client == 0 ? "load/fan-in/+" : null;
        case TOPICS -> "load/topic/" + (client + 1) % clients;
      };
    }

    /** The same scenario with each publisher keeping {@code messages} outstanding. */
    Scenario withWindow(int messages) {
      return new Scenario(name, clients, role, fanout, messages, history);
    }

    /** A scenario by name; {@code -history} after a name: the same on topics that keep a history. */
    static Scenario named(String name) {
      boolean history = name.endsWith("-history");
      return switch (history ? name.substring(0, name.length() - "-history".length()) : name) {
        case "one-to-one" -> new Scenario(name, 2, Role.ONE_TO_ONE, 1, 32, history);
        case "fan-out" -> new Scenario(name, 1_001, Role.FAN_OUT, 1_000, 8, history);
        case "fan-in" -> new Scenario(name, 1_001, Role.FAN_IN, 1, 4, history);
        case "topics" -> new Scenario(name, 10_000, Role.TOPICS, 1, 1, history);
        case "pairs" -> new Scenario(name, 1_000, Role.TOPICS, 1, 4, history);
        default -> throw new IllegalArgumentException("unknown scenario " + name
            + " (one-to-one, fan-out, fan-in, pairs, topics, each also with -history)");
      };
    }
  }

  /** What a run measured. */
  /** @param stalls times an open-loop publisher had a message due and no credit from the broker (0 closed-loop) */
  record Result(String scenario, int qos, LoadClient.Kind client, int clients, long deliveries, double seconds,
      Histogram latency, long stalls) {
    double deliveriesPerSecond() {
      return deliveries / seconds;
    }

    double micros(double percentile) {
      return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1000.0;
    }
  }

  private final Scenario scenario;
  private final int qos;
  private final int port;
  /** Where the subscribers connect: {@link #port} unless another node of a cluster. */
  private int subscriberPort;
  private Runnable routed = () -> { };
  private final int warmupSeconds;
  private final int durationSeconds;
  private final int clientEventLoops;
  private final LoadClient.Kind kind;
  /** Messages a second from all publishers together, open loop; 0: each publisher runs closed-loop in its window. */
  private final double rate;
  /** Whether subscribers hold persistent sessions (at QoS 1 every delivery is then queued durably). */
  private final boolean persistent;
  private final java.util.concurrent.atomic.LongAdder stalls = new java.util.concurrent.atomic.LongAdder();
  private final Meter meter = new Meter();
  /** Publish to acknowledgement, QoS 1/2, of the clients that can tell. */
  private final Recorder acknowledgements = new Recorder(3);
  private final List<Publisher> publishers = new ArrayList<>();
  /**
   * Names this run's clients and topics: the persistent sessions of earlier runs stay in the broker (600 s), and on
   * the same topics every later run would also queue its messages for them.
   */
  private final String run = Long.toHexString(System.nanoTime());

  BrokerLoadRun(Scenario scenario, int qos, int port, int warmupSeconds, int durationSeconds, int clientEventLoops,
      LoadClient.Kind kind) {
    this(scenario, qos, port, warmupSeconds, durationSeconds, clientEventLoops, kind, 0);
  }

  /** @param rate messages a second from all publishers together, sent at fixed intervals (open loop); 0: closed loop */
  BrokerLoadRun(Scenario scenario, int qos, int port, int warmupSeconds, int durationSeconds, int clientEventLoops,
      LoadClient.Kind kind, double rate) {
    this(scenario, qos, port, warmupSeconds, durationSeconds, clientEventLoops, kind, rate, true);
  }

  /**
   * @param port where {@code kind} connects: the broker's WebSocket port, or for {@link LoadClient.Kind#MQTT} an MQTT
   *     port (Braid's or another broker's)
   * @param persistent whether subscribers hold persistent sessions
   */
  BrokerLoadRun(Scenario scenario, int qos, int port, int warmupSeconds, int durationSeconds, int clientEventLoops,
      LoadClient.Kind kind, double rate, boolean persistent) {
    this.persistent = persistent;
    this.rate = rate;
    this.kind = kind;
    this.scenario = scenario;
    this.qos = qos;
    this.port = port;
    this.subscriberPort = port;
    this.warmupSeconds = warmupSeconds;
    this.durationSeconds = durationSeconds;
    this.clientEventLoops = clientEventLoops;
  }

  /**
   * Connects the clients that subscribe to {@code port} instead (another node of the publishers' cluster), and runs
   * {@code routed} once they have subscribed and before anyone publishes: it waits until the publishers' node knows
   * the subscriptions, which reach it asynchronously.
   */
  BrokerLoadRun subscribersOn(int port, Runnable routed) {
    this.subscriberPort = port;
    this.routed = routed;
    return this;
  }

  Result run() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(clientEventLoops));
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxConnections(scenario.clients() + 16).setConnectTimeout(60_000).setTcpNoDelay(true)
        .setMaxFrameSize(EchoTarget.MAX_MESSAGE).setMaxMessageSize(EchoTarget.MAX_MESSAGE));
    NetClient net = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(60_000));
    List<LoadClient> clients = new ArrayList<>();
    try {
      connect(EventLoopContexts.of(vertx, clientEventLoops), client, net, clients);
      routed.run();
      for (Publisher publisher : publishers) {
        publisher.client.context().runOnContext(v -> publisher.pump());
      }
      return measure();
    } finally {
      meter.stop();
      vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  private void connect(List<Context> loops, WebSocketClient client, NetClient net, List<LoadClient> clients)
      throws Exception {
    for (int first = 0; first < scenario.clients(); first += CONNECT_CONCURRENCY) {
      List<Future<Void>> batch = new ArrayList<>();
      for (int i = first; i < Math.min(first + CONNECT_CONCURRENCY, scenario.clients()); i++) {
        int number = i;
        // subscribers hold persistent sessions: at QoS 1 every delivery is queued durably until acknowledged
        String clientId = "load-" + run + "-" + number;
        boolean persistent = this.persistent && scenario.filterOf(number) != null;
        int port = scenario.filterOf(number) != null ? subscriberPort : this.port;
        Context loop = loops.get(number % loops.size());
        Future<LoadClient> connected = switch (kind) {
          case SDK -> SdkLoadClient.connect(loop, "127.0.0.1", port, clientId, persistent);
          case MQTT -> MqttLoadClient.connect(loop, net, "127.0.0.1", port, clientId, persistent);
          case ENDPOINT -> BraidLoadClient.connect(loop, client, "127.0.0.1", port, "/braid", Connect.builder(clientId)
              .cleanStart(true).keepAlive(600).sessionExpiryInterval(persistent ? 600 : 0).build()).map(c -> c);
        };
        batch.add(connected
            .compose(braid -> {
              Future<Void> subscribed = Future.succeededFuture();
              String filter = ownTopic(scenario.filterOf(number));
              if (filter != null) {
                subscribed = promiseOn(braid, () -> braid.subscribe(filter, qos, this::onDelivery));
              }
              return subscribed.map(v -> {
                synchronized (clients) {
                  clients.add(braid);
                  if (scenario.publishes(number)) {
                    publishers.add(new Publisher(braid, ownTopic(scenario.topicOf(number)), publishers.size()));
                  }
                }
                return null;
              });
            }));
      }
      Future.all(batch).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }
  }

  /** {@code topic} (or filter) under this run's own prefix: "load/x" becomes "load/{run}/x"; null stays null. */
  private String ownTopic(String topic) {
    return topic == null ? null : "load/" + run + topic.substring("load".length());
  }

  private static Future<Void> promiseOn(LoadClient client, java.util.function.Supplier<Future<Void>> action) {
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    client.context().runOnContext(v -> action.get().onComplete(done));
    return done.future();
  }

  private void onDelivery(Buffer payload) {
    long now = System.nanoTime();
    meter.record(now - payload.getLong(0));
    publishers.get(payload.getInt(8)).delivered();
  }

  private Result measure() throws InterruptedException {
    Histogram total = new Histogram(3);
    Histogram interval = null;
    long deliveries = 0;
    long start = System.nanoTime();
    long measureFrom = start + warmupSeconds * SECOND;
    long end = measureFrom + durationSeconds * SECOND;
    long next = start + SECOND;
    while (next <= end) {
      if (next - SECOND == measureFrom) {
        stalls.reset(); // stalls count in the measured seconds only
        acknowledgements.reset();
      }
      Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
      interval = meter.takeInterval(interval);
      long count = meter.takeReceived();
      if (next > measureFrom) {
        total.add(interval);
        deliveries += count;
      }
      System.err.printf("  %s qos %d %s: %,d deliveries/s, p99 %.0f us%s%n", scenario.name(), qos, kind.label(), count,
          interval.getTotalCount() == 0 ? 0.0 : interval.getValueAtPercentile(99) / 1000.0,
          next > measureFrom ? "" : " (warm-up)");
      next += SECOND;
    }
    Histogram acks = acknowledgements.getIntervalHistogram();
    if (acks.getTotalCount() > 0) {
      System.err.printf("  %s qos %d %s: publish to acknowledgement p50 %.0f us, p99 %.0f us (measured seconds)%n",
          scenario.name(), qos, kind.label(), acks.getValueAtPercentile(50) / 1000.0,
          acks.getValueAtPercentile(99) / 1000.0);
    }
    return new Result(scenario.name(), qos, kind, scenario.clients(), deliveries, durationSeconds, total, stalls.sum());
  }

  /** One publisher: its client, topic and window, driven on its client's event loop. */
  private final class Publisher {
    final LoadClient client;
    final String topic;
    final int number;
    final LongAdder deliveredCopies = new LongAdder();
    final AtomicBoolean wakeScheduled = new AtomicBoolean();
    long published;
    /** Open loop: when the next message is due, and whether a timer is set for it. */
    long nextDueNanos;
    boolean timerSet;

    Publisher(LoadClient client, String topic, int number) {
      this.client = client;
      this.topic = topic;
      this.number = number;
      client.onFlow(this::pump, this::pump);
      client.recordAcknowledgements(acknowledgements);
    }

    /** Publishes while the window and the broker's credit allow. On the client's event loop. */
    void pump() {
      wakeScheduled.set(false);
      if (rate > 0) {
        sendDue();
        return;
      }
      while (!meter.stopping() && client.canPublish()
          && published - deliveredCopies.sum() / scenario.fanout() < scenario.window()) {
        Buffer payload = Buffer.buffer(PAYLOAD).appendLong(System.nanoTime()).appendInt(number)
            .appendBytes(new byte[PAYLOAD - 12]);
        client.publish(topic, payload, qos);
        published++;
      }
    }

    /**
     * Open loop: sends every message whose time has come, at most as the broker's credit allows (a message due
     * without credit is a stall; it goes out when credit returns), then sets a timer for the next one. Latency is
     * measured from the real send, so a stall shows in the count, not in the latency. On the client's event loop.
     */
    void sendDue() {
      long intervalNanos = (long) (1e9 * publishers.size() / rate);
      long now = System.nanoTime();
      if (nextDueNanos == 0) {
        nextDueNanos = now + (long) (Math.random() * intervalNanos); // publishers start spread over one interval
      }
      while (!meter.stopping() && nextDueNanos <= now) {
        if (!client.canPublish()) {
          stalls.increment();
          return; // the broker's next credit calls pump
        }
        client.publish(topic, Buffer.buffer(PAYLOAD).appendLong(System.nanoTime()).appendInt(number)
            .appendBytes(new byte[PAYLOAD - 12]), qos);
        published++;
        nextDueNanos += intervalNanos;
      }
      if (!meter.stopping() && !timerSet) {
        timerSet = true;
        long delayMillis = Math.max(1, (nextDueNanos - now + 999_999) / 1_000_000);
        client.context().owner().setTimer(delayMillis, id -> {
          timerSet = false;
          sendDue();
        });
      }
    }

    /** A subscriber received one of this publisher's messages (any thread). */
    void delivered() {
      deliveredCopies.increment();
      if (rate == 0 && wakeScheduled.compareAndSet(false, true)) {
        client.context().runOnContext(v -> pump());
      }
    }
  }
}
