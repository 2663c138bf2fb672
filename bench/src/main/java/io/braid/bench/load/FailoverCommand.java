package io.braid.bench.load;

import io.braid.cluster.MemberPorts;
import io.braid.client.BraidClient;
import io.braid.client.BraidClientOptions;
import io.braid.client.ConnectionState;
import io.braid.client.ReconnectPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How long the clients of a node that dies take to resume their sessions elsewhere: three clustered brokers in child
 * JVMs, {@code --clients} SDK clients with persistent sessions on node A (each subscribed to a topic of its own, and
 * knowing all three nodes), A killed with SIGKILL once every session has a replica; then the time from the kill to
 * each client's connection to another node (counting those whose session was resumed and those that got a new one:
 * theirs was lost), and to one message published on another node reaching every client.
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
    description = "Time from kill -9 of a clustered node to its clients' sessions resumed on the other nodes.")
final class FailoverCommand implements Callable<Integer> {

  private static final long NOT_YET = -1;

  @Option(names = "--clients", defaultValue = "1000", description = "Persistent clients on the node killed "
      + "(default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--heap", defaultValue = "1g", description = "Each broker's -Xmx (default: ${DEFAULT-VALUE}).")
  String heap;

  @Option(names = "--broker-event-loops", defaultValue = "2", description = "Each broker's event loops (default: "
      + "${DEFAULT-VALUE}).")
  int eventLoops;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    List<Integer> ports = List.of(MemberPorts.next(), MemberPorts.next(), MemberPorts.next());
    String members = "cluster.members=127.0.0.1:" + ports.get(0) + ",127.0.0.1:" + ports.get(1) + ",127.0.0.1:"
        + ports.get(2);
    List<BrokerProcess> nodes = new ArrayList<>();
    Vertx vertx = Vertx.vertx();
    try {
      for (int port : ports) {
        nodes.add(BrokerProcess.start(heap, eventLoops, List.of("cluster.enabled=true", "cluster.port=" + port,
            members)));
      }
      BrokerProcess a = nodes.get(0);
      await("three nodes", 120, () -> metric(a, "braid_cluster_nodes") == 3);
      Failover run = new Failover(vertx, nodes);
      run.connect(clients);
      await("every session replicated", 120, () -> metric(nodes.get(1), "braid_cluster_replica_sessions")
          + metric(nodes.get(2), "braid_cluster_replica_sessions") >= clients);
      long killedAt = System.nanoTime();
      a.kill9();
      await("every client connected again", 300, run::allBack, run::resumedCount);
      long resumedAt = System.nanoTime();
      int refused = run.publishToAll(nodes.get(1));
      await("a message after the failover reaching every client (" + clients + ")", 120,
          () -> run.receivedCount() >= clients - refused, run::receivedCount);
      long receivedAt = System.nanoTime();
      long[] back = run.resumeMillis(killedAt);
      Arrays.sort(back);
      out.printf("%n%d persistent clients on node A of three, kill -9 of A once every session had a replica.%n%n",
          clients);
      out.println("| clients | session resumed | new session (lost) | first back ms | p50 ms | p99 ms | last ms | "
          + "kill to a new message at every client, ms | publishes refused after |");
      out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
      out.printf("| %,d | %,d | %,d | %d | %d | %d | %d | %d | %d |%n", clients, run.resumedCount(), run.freshCount(),
          back[0], back[back.length / 2], back[(int) Math.ceil(back.length * 0.99) - 1],
          TimeUnit.NANOSECONDS.toMillis(resumedAt - killedAt), TimeUnit.NANOSECONDS.toMillis(receivedAt - killedAt),
          refused);
      run.disconnect();
      return 0;
    } finally {
      for (BrokerProcess node : nodes) {
        node.close();
      }
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** The clients of one run: when each resumed its session elsewhere, and whether each got the message after. */
  private static final class Failover {
    private final Vertx vertx;
    private final List<BrokerProcess> nodes;
    private final List<BraidClient> connected = new ArrayList<>();
    private AtomicLongArray resumedAt;
    private final AtomicInteger resumed = new AtomicInteger();
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger fresh = new AtomicInteger();

    Failover(Vertx vertx, List<BrokerProcess> nodes) {
      this.vertx = vertx;
      this.nodes = nodes;
    }

    void connect(int count) throws Exception {
      resumedAt = new AtomicLongArray(count);
      int nodeA = nodes.get(0).port();
      String[] uris = nodes.stream().map(node -> "ws://127.0.0.1:" + node.port() + "/braid").toArray(String[]::new);
      for (int i = 0; i < count; i++) {
        int index = i;
        resumedAt.set(i, NOT_YET);
        BraidClient client = BraidClient.create(vertx, new BraidClientOptions().uris(uris)
            .clientId("failover-" + i).persistentSession(3_600).reconnect(new ReconnectPolicy(100, 1_000, 0)));
        client.stateHandler(state -> {
          if (state instanceof ConnectionState.Connected now && now.uri().getPort() != nodeA
              && resumedAt.compareAndSet(index, NOT_YET, System.nanoTime())) {
            (now.sessionPresent() ? resumed : fresh).incrementAndGet();
          }
        });
        client.connect().await(30, TimeUnit.SECONDS);
        client.subscribe("failover/" + i, 1, message -> received.incrementAndGet()).await(30, TimeUnit.SECONDS);
        connected.add(client);
      }
    }

    int resumedCount() {
      return resumed.get();
    }

    /** Clients that connected to another node with a new session: theirs was lost. */
    int freshCount() {
      return fresh.get();
    }

    boolean allBack() {
      return resumed.get() + fresh.get() >= resumedAt.length();
    }

    int receivedCount() {
      return received.get();
    }

    long[] resumeMillis(long killedAt) {
      long[] millis = new long[resumedAt.length()];
      for (int i = 0; i < millis.length; i++) {
        millis[i] = TimeUnit.NANOSECONDS.toMillis(resumedAt.get(i) - killedAt);
      }
      return millis;
    }

    /** One QoS 1 message to each client's topic, from a client of {@code node}; returns how many were refused. */
    int publishToAll(BrokerProcess node) throws Exception {
      BraidClient publisher = BraidClient.create(vertx, new BraidClientOptions()
          .uris("ws://127.0.0.1:" + node.port() + "/braid").clientId("failover-publisher"));
      publisher.connect().await(30, TimeUnit.SECONDS);
      connected.add(publisher);
      List<Future<Void>> sent = new ArrayList<>();
      for (int i = 0; i < resumedAt.length(); i++) {
        sent.add(publisher.publish("failover/" + i, Buffer.buffer("after"), 1));
      }
      Future.join(sent).transform(all -> Future.succeededFuture()).await(120, TimeUnit.SECONDS);
      return (int) sent.stream().filter(Future::failed).count();
    }

    void disconnect() {
      for (BraidClient client : connected) {
        try {
          client.disconnect().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          // the run is over
        }
      }
    }
  }

  private static double metric(BrokerProcess node, String sample) {
    try {
      return node.metric(sample);
    } catch (Exception e) {
      return -1;
    }
  }

  private static void await(String what, int seconds, BooleanSupplier done) throws InterruptedException {
    await(what, seconds, done, () -> -1);
  }

  private static void await(String what, int seconds, BooleanSupplier done, IntSupplier progress)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not within " + seconds + " s: " + what + "; so far " + progress.getAsInt());
      }
      Thread.sleep(10);
    }
  }
}
