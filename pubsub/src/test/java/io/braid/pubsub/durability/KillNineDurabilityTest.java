package io.braid.pubsub.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.braid.pubsub.broker.Broker;
import io.braid.pubsub.broker.ClientLink;
import io.braid.pubsub.broker.ConnectRequest;
import io.braid.pubsub.broker.ConnectResult;
import io.braid.pubsub.broker.DisconnectCause;
import io.braid.pubsub.broker.OutboundPublish;
import io.braid.pubsub.broker.SessionHandle;
import io.braid.pubsub.store.MVStoreBrokerStore;
import io.braid.pubsub.store.SyncPolicy;
import io.braid.pubsub.topic.TopicFilter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability under {@code kill -9}: a child JVM runs a broker on the durable store under a QoS 1 load and is killed
 * (SIGKILL, no shutdown hook runs) at a random moment, several times over the same data directory; then a broker
 * opened on that directory must hand every acknowledged message to both persistent subscribers: the one that was
 * offline all along gets each exactly once and in publish order, the one that was connected gets whatever it had
 * not yet received.
 */
class KillNineDurabilityTest {

  private static final int KILLS = 8;
  private static final long SEED = Long.getLong("braid.test.seed", System.nanoTime());

  @TempDir
  Path dataDirectory;

  private final Set<Long> acknowledged = new ConcurrentSkipListSet<>();
  private final Set<Long> receivedOnline = new ConcurrentSkipListSet<>();

  @Test
  void everyAcknowledgedMessageSurvivesRepeatedKills() throws Exception {
    Random random = new Random(SEED);
    long next = 1;
    for (int kill = 0; kill < KILLS; kill++) {
      int ackedBeforeKill = 200 + random.nextInt(3_000);
      runChildAndKill(next, ackedBeforeKill);
      next = acknowledged.stream().mapToLong(Long::longValue).max().orElse(0) + 1_000;
    }
    assertThat(acknowledged).as("seed %d", SEED).hasSizeGreaterThan(KILLS * 200);

    ExecutorService loop = Executors.newSingleThreadExecutor();
    try (Broker broker = Broker.builder().options(LoadChild.OPTIONS)
        .store(MVStoreBrokerStore.open(dataDirectory, SyncPolicy.FSYNC)).offlineExecutor(loop).build()) {
      Receiver offline = Receiver.connect(broker, LoadChild.OFFLINE, loop);
      Receiver online = Receiver.connect(broker, LoadChild.ONLINE, loop);

      assertThat(offline.sessionPresent).isTrue();
      assertThat(online.sessionPresent).isTrue();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(offline.received).as("seed %d", SEED).containsAll(acknowledged));
      assertThat(offline.received).as("exactly once, in publish order; seed %d", SEED)
          .doesNotHaveDuplicates().isSorted();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        Set<Long> everReceived = new TreeSet<>(receivedOnline);
        everReceived.addAll(online.received);
        assertThat(everReceived).as("seed %d", SEED).containsAll(acknowledged);
      });
    } finally {
      loop.shutdownNow();
    }
  }

  /** Starts a child publishing from {@code first}, kills it once it reported {@code acks} more acknowledgements. */
  private void runChildAndKill(long first, int acks) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        LoadChild.class.getName(), dataDirectory.toString(), Long.toString(first))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    CountDownLatch enough = new CountDownLatch(acks);
    List<String> unexpected = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> read(child, enough, unexpected), "child-reader");
    reader.start();
    try {
      assertThat(enough.await(120, TimeUnit.SECONDS)).as("child acknowledged %d publishes in time", acks).isTrue();
    } finally {
      child.destroyForcibly(); // SIGKILL on Linux: the JVM gets no chance to flush or close anything
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      reader.join(10_000);
    }
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    assertThat(unexpected).isEmpty();
  }

  private void read(Process child, CountDownLatch enough, List<String> unexpected) {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith("ACK ")) {
          acknowledged.add(Long.parseLong(line.substring(4)));
          enough.countDown();
        } else if (line.startsWith("GOT ")) {
          receivedOnline.add(Long.parseLong(line.substring(4)));
        } else if (!line.equals("READY")) {
          unexpected.add(line);
        }
      }
    } catch (IOException e) {
      // the pipe breaks when the child is killed: everything read before it counts
    }
  }

  /** A persistent subscriber reconnecting to the recovered broker, acknowledging what it receives. */
  private static final class Receiver implements ClientLink {
    final List<Long> received = new CopyOnWriteArrayList<>();
    volatile SessionHandle handle;
    boolean sessionPresent;

    static Receiver connect(Broker broker, String clientId, ExecutorService loop) throws Exception {
      Receiver receiver = new Receiver();
      ConnectResult result = broker.connect(ConnectRequest.persistent(clientId, LoadChild.SESSION_EXPIRY),
          receiver, loop).get(30, TimeUnit.SECONDS);
      receiver.sessionPresent = result.sessionPresent();
      receiver.handle = result.handle();
      loop.submit(result.handle()::start).get();
      return receiver;
    }

    @Override
    public boolean writable(TopicFilter subscription) {
      return true;
    }

    @Override
    public boolean sendPublish(OutboundPublish publish) {
      received.add(Long.parseLong(new String(publish.message().payload(), StandardCharsets.US_ASCII)));
      handle.pubAck(publish.packetId());
      return true;
    }

    @Override
    public void sendPubRel(TopicFilter subscription, int packetId) {
    }

    @Override
    public void close(DisconnectCause cause) {
    }
  }
}
