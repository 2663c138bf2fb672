package io.braid.pubsub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.broker.BrokerFixture.Client;
import io.braid.pubsub.history.StartFrom;
import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.message.HistoryPosition;
import io.braid.pubsub.topic.TopicName;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Messages another node of a cluster accepted for a topic with history: appended to this node's history of the
 * topic, at its own offsets, in the order they arrive among this node's own publishes.
 */
class PeerHistoryTest {

  private final BrokerFixture fixture = BrokerFixture.withHistory("chat/#", 100);

  private static ApplicationMessage fromPeer(String topic, String payload, int qos) {
    return ApplicationMessage.of("elsewhere", topic, BrokerFixture.bytes(payload), qos, false)
        .accepted(7, 1_000).at(new HistoryPosition("the-other-nodes-epoch", 41));
  }

  @Test
  void aMessageFromAnotherNodeIsInThisNodesHistoryAtItsNextOffset() {
    fixture.connectClean("pub").publish("chat/a", "here", 1);
    fixture.broker.deliverFromPeer(fromPeer("chat/a", "there", 1), group -> true).join();
    Client reader = fixture.connectClean("reader");

    reader.subscribe("chat/a", 1, new StartFrom.Last(10));

    reader.assertReceived("here", "there");
    List<Long> offsets = reader.link().publishes.stream().map(p -> p.message().position().offset()).toList();
    assertThat(offsets).containsExactly(1L, 2L);
    assertThat(reader.link().publishes.get(1).message().position().epoch()).isNotEqualTo("the-other-nodes-epoch");
  }

  @Test
  void aLiveSubscriberGetsTheMessageWithThisNodesPosition() {
    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("chat/a", 1);

    fixture.broker.deliverFromPeer(fromPeer("chat/a", "there", 1), group -> true).join();

    subscriber.assertReceived("there");
    assertThat(subscriber.link().publishes.get(0).message().position().offset()).isEqualTo(1L);
  }

  @Test
  void aTopicWithoutHistoryKeepsNothing() {
    fixture.broker.deliverFromPeer(fromPeer("news/a", "there", 1), group -> true).join();

    assertThat(fixture.broker.histories().topicCount()).isZero();
    assertThat(fixture.broker.keepsHistory(TopicName.parse("news/a"))).isFalse();
    assertThat(fixture.broker.keepsHistory(TopicName.parse("chat/a"))).isTrue();
  }
}
