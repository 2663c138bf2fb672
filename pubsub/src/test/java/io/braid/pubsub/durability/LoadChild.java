package io.braid.pubsub.durability;

import io.braid.pubsub.broker.AckReason;
import io.braid.pubsub.broker.Broker;
import io.braid.pubsub.broker.BrokerOptions;
import io.braid.pubsub.broker.ClientLink;
import io.braid.pubsub.broker.ConnectRequest;
import io.braid.pubsub.broker.DisconnectCause;
import io.braid.pubsub.broker.OutboundPublish;
import io.braid.pubsub.broker.SessionHandle;
import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.store.MVStoreBrokerStore;
import io.braid.pubsub.store.SyncPolicy;
import io.braid.pubsub.subscription.SubscriptionOptions;
import io.braid.pubsub.topic.TopicFilter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of {@link KillNineDurabilityTest}: a broker on the durable store under a QoS 1 load, until it is
 * killed. Prints one line per fact the parent checks after the kill, each only once it holds:
 * <ul>
 *   <li>{@code READY}: the subscriber sessions exist;</li>
 *   <li>{@code ACK n}: the publish of message {@code n} was acknowledged with success (it is durable);</li>
 *   <li>{@code GOT n}: the connected subscriber received {@code n} and acknowledged it.</li>
 * </ul>
 * Arguments: the data directory and the first message number to publish.
 */
public final class LoadChild {

  static final String TOPIC = "load/messages";
  /** Subscribed at the first start, then offline for ever: its queue must hold every acknowledged message. */
  static final String OFFLINE = "offline-subscriber";
  /** Connected in every child, acknowledging as it receives: what it did not acknowledge must be redelivered. */
  static final String ONLINE = "online-subscriber";
  static final long SESSION_EXPIRY = 24 * 3600;
  private static final int OUTSTANDING = 64;
  /** Queues long enough that no acknowledged message is dropped for a full queue during the test. */
  static final BrokerOptions OPTIONS = BrokerOptions.DEFAULTS.withMaxQueuedMessages(1_000_000);

  private LoadChild() {
  }

  public static void main(String[] args) throws Exception {
    Path dataDirectory = Path.of(args[0]);
    long first = Long.parseLong(args[1]);
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
        StandardCharsets.UTF_8);
    ExecutorService loop = Executors.newSingleThreadExecutor();
    Broker broker = Broker.builder()
        .options(OPTIONS)
        .store(MVStoreBrokerStore.open(dataDirectory, SyncPolicy.FSYNC))
        .offlineExecutor(Executors.newSingleThreadExecutor())
        .build();

    if (!broker.hasSession(OFFLINE)) {
      SessionHandle offline = connect(broker, OFFLINE, new CountingLink(null, out), loop);
      loop.submit(() -> offline.subscribe(TopicFilter.parse(TOPIC), SubscriptionOptions.ofMaxQos(1))).get();
      loop.submit(offline::connectionLost).get();
    }
    SessionHandle online = connect(broker, ONLINE, new CountingLink(loop, out), loop);
    loop.submit(() -> online.subscribe(TopicFilter.parse(TOPIC), SubscriptionOptions.ofMaxQos(1))).get();
    out.println("READY");

    SessionHandle publisher = connect(broker, "publisher", new CountingLink(null, out), loop);
    Semaphore window = new Semaphore(OUTSTANDING);
    for (long n = first; ; n++) {
      window.acquire();
      long number = n;
      loop.execute(() -> {
        ApplicationMessage message = ApplicationMessage.of("publisher", TOPIC,
            Long.toString(number).getBytes(StandardCharsets.US_ASCII), 1, false);
        publisher.publish(message, (int) (number % 65_535) + 1).whenComplete((reason, failure) -> {
          if (failure == null && reason == AckReason.SUCCESS) {
            out.println("ACK " + number);
          }
          window.release();
        });
      });
    }
  }

  private static SessionHandle connect(Broker broker, String clientId, CountingLink link, ExecutorService loop)
      throws Exception {
    ConnectRequest request = ConnectRequest.persistent(clientId, SESSION_EXPIRY);
    SessionHandle handle = broker.connect(request, link, loop).get(30, TimeUnit.SECONDS).handle();
    link.handle = handle;
    loop.submit(handle::start).get();
    return handle;
  }

  /** A subscriber's connection that acknowledges each delivery and reports it; or, without a loop, ignores them. */
  private static final class CountingLink implements ClientLink {
    private final ExecutorService loop;
    private final PrintStream out;
    volatile SessionHandle handle;

    CountingLink(ExecutorService loop, PrintStream out) {
      this.loop = loop;
      this.out = out;
    }

    @Override
    public boolean writable(TopicFilter subscription) {
      return true;
    }

    @Override
    public boolean sendPublish(OutboundPublish publish) {
      if (loop == null) {
        return true;
      }
      out.println("GOT " + new String(publish.message().payload(), StandardCharsets.US_ASCII));
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
