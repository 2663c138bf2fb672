package io.braid.pubsub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.subscription.SubscriptionOptions;
import io.braid.pubsub.topic.TopicFilter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The QoS 1 and 2 exchanges between the broker and a subscriber under every interleaving jqwik finds of publishes,
 * acknowledgements that arrive, arrive twice or are lost with their connection, reconnects and broker restarts:
 * once the dust settles, every QoS 2 message reached the application exactly once, every QoS 1 message at least
 * once, and each first arrival is in publish order.
 */
class QosExchangePropertiesTest {

  enum Step { PUBLISH_QOS1, PUBLISH_QOS2, ACK_ONE, ACK_ALL, REPEAT_LAST_ACK, RECONNECT, RESTART }

  @Provide
  Arbitrary<List<Step>> steps() {
    return Arbitraries.of(Step.class).list().ofMinSize(1).ofMaxSize(60);
  }

  @Property(tries = 300)
  void everyMessageArrivesAsItsQosPromisesInOrder(@ForAll("steps") List<Step> steps,
      @ForAll("windows") int receiveMaximum) {
    BrokerFixture fixture = new BrokerFixture();
    Subscriber subscriber = new Subscriber(fixture, receiveMaximum);
    subscriber.connect();
    subscriber.handle.subscribe(TopicFilter.parse("t"), SubscriptionOptions.ofMaxQos(2));
    BrokerFixture.Client publisher = fixture.connectClean("pub");
    List<String> published = new ArrayList<>();
    Set<String> qos2 = new HashSet<>();

    for (Step step : steps) {
      switch (step) {
        case PUBLISH_QOS1, PUBLISH_QOS2 -> {
          int qos = step == Step.PUBLISH_QOS1 ? 1 : 2;
          String payload = "m" + published.size();
          published.add(payload);
          if (qos == 2) {
            qos2.add(payload);
          }
          publisher.publish(ApplicationMessage.of("pub", "t", payload.getBytes(StandardCharsets.UTF_8), qos, false),
              published.size());
          publisher.session().release(published.size()).join();
        }
        case ACK_ONE -> subscriber.ackOne();
        case ACK_ALL -> subscriber.ackAll();
        case REPEAT_LAST_ACK -> subscriber.repeatLastAck();
        case RECONNECT -> subscriber.reconnect();
        case RESTART -> {
          fixture.restart();
          subscriber.connect();
          publisher = fixture.connectClean("pub");
        }
      }
    }
    subscriber.reconnect();
    for (int i = 0; i < 10_000 && subscriber.ackAll(); i++) {
      // until nothing is left to acknowledge
    }

    assertThat(new ArrayList<>(new LinkedHashSet<>(subscriber.delivered))).containsExactlyElementsOf(published);
    assertThat(subscriber.delivered.stream().filter(qos2::contains)).doesNotHaveDuplicates();
  }

  @Provide
  Arbitrary<Integer> windows() {
    return Arbitraries.of(1, 2, 3, 100);
  }

  /** A persistent-session subscriber whose acknowledgements the test releases one by one. */
  private static final class Subscriber {
    private final BrokerFixture fixture;
    private final int receiveMaximum;
    final List<String> delivered = new ArrayList<>();
    /** QoS 2 packet ids whose PUBLISH reached the application and whose PUBREL has not arrived (method B). */
    private final Set<Integer> unreleased = new HashSet<>();
    /** Acknowledgements not yet sent on the current connection. */
    private final ArrayDeque<Runnable> pendingAcks = new ArrayDeque<>();
    private Runnable lastAck;
    SessionHandle handle;

    Subscriber(BrokerFixture fixture, int receiveMaximum) {
      this.fixture = fixture;
      this.receiveMaximum = receiveMaximum;
    }

    void connect() {
      ConnectResult result = BrokerFixture.join(fixture.broker.connect(
          ConnectRequest.persistent("sub", 3600).withReceiveMaximum(receiveMaximum), link(), BrokerFixture.DIRECT));
      handle = result.handle();
      pendingAcks.clear();
      lastAck = null;
      handle.start();
    }

    void reconnect() {
      handle.connectionLost();
      connect();
    }

    boolean ackOne() {
      Runnable ack = pendingAcks.poll();
      if (ack == null) {
        return false;
      }
      lastAck = ack;
      ack.run();
      return true;
    }

    boolean ackAll() {
      boolean any = false;
      while (ackOne()) {
        any = true;
      }
      return any;
    }

    void repeatLastAck() {
      if (lastAck != null) {
        lastAck.run();
      }
    }

    private ClientLink link() {
      return new ClientLink() {
        @Override
        public boolean writable(TopicFilter subscription) {
          return true;
        }

        @Override
        public boolean sendPublish(OutboundPublish publish) {
          String payload = new String(publish.message().payload(), StandardCharsets.UTF_8);
          int packetId = publish.packetId();
          SessionHandle on = handle;
          if (publish.qos() == 1) {
            delivered.add(payload);
            pendingAcks.add(() -> on.pubAck(packetId));
          } else {
            if (unreleased.add(packetId)) {
              delivered.add(payload);
            }
            pendingAcks.add(() -> on.pubRec(packetId, false));
          }
          return true;
        }

        @Override
        public void sendPubRel(TopicFilter subscription, int packetId) {
          unreleased.remove(packetId);
          SessionHandle on = handle;
          pendingAcks.add(() -> on.pubComp(packetId));
        }

        @Override
        public void close(DisconnectCause cause) {
        }
      };
    }
  }
}
