package io.braid.pubsub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.broker.BrokerFixture.Client;
import io.braid.pubsub.history.Recovery;
import io.braid.pubsub.history.StartFrom;
import io.braid.pubsub.message.HistoryPosition;
import io.braid.pubsub.topic.TopicFilter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Subscriptions that start in a topic's history: the replay, then live messages, and what the subscriber is told. */
class HistoryRecoveryTest {

  private final BrokerFixture fixture = BrokerFixture.withHistory("chat/#", 100);
  private final Client publisher = fixture.connectClean("pub");

  private static List<Long> offsets(Client client) {
    return client.link().publishes.stream().map(publish -> publish.message().position().offset()).toList();
  }

  private String epoch() {
    return fixture.broker.histories().replay(TopicFilter.parse("chat/a"), new StartFrom.Last(1))
        .recovery().latest().epoch();
  }

  @Test
  void everyDeliveryOfAHistoryTopicCarriesItsPosition() {
    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("chat/a", 1);

    publisher.publish("chat/a", "one", 1);
    publisher.publish("chat/a", "two", 1);

    assertThat(offsets(subscriber)).containsExactly(1L, 2L);
    assertThat(subscriber.link().publishes.get(0).message().position().epoch()).isNotBlank();
  }

  @Test
  void aReaderOfATopicNothingWasPublishedToMakesNoHistoryAndGetsItsFirstMessageLive() {
    Client subscriber = fixture.connectClean("sub");
    SessionHandle.SubscribeResult result = subscriber.subscribe("chat/empty", 1, new StartFrom.Last(5));

    assertThat(result.recovery().status()).isEqualTo(Recovery.Status.COMPLETE);
    assertThat(fixture.broker.histories().topicCount()).as("no history made for a reader").isZero();
    publisher.publish("chat/empty", "first", 1);
    assertThat(offsets(subscriber)).containsExactly(1L);
  }

  @Test
  void aTopicWithoutHistoryCarriesNoPosition() {
    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("news/a", 1);

    publisher.publish("news/a", "plain", 1);

    assertThat(subscriber.link().publishes.get(0).message().position()).isNull();
  }

  @Test
  void aSubscriberStartingAfterItsLastOffsetGetsWhatItMissedThenLiveMessages() {
    for (int i = 1; i <= 5; i++) {
      publisher.publish("chat/a", "m" + i, 1);
    }
    Client subscriber = fixture.connectClean("sub");

    SessionHandle.SubscribeResult result = subscriber.subscribe("chat/a", 1, new StartFrom.After(epoch(), 2));
    publisher.publish("chat/a", "m6", 1);

    subscriber.assertReceived("m3", "m4", "m5", "m6");
    assertThat(result.recovery()).isEqualTo(Recovery.complete(new HistoryPosition(epoch(), 5)));
  }

  @Test
  void aSubscriberTooFarBehindIsToldWhichOffsetsAreGone() {
    BrokerFixture small = BrokerFixture.withHistory("chat/#", 3);
    Client sender = small.connectClean("pub");
    for (int i = 1; i <= 6; i++) {
      sender.publish("chat/a", "m" + i, 1);
    }
    Client subscriber = small.connectClean("sub");
    String epoch = small.broker.histories().replay(TopicFilter.parse("chat/a"),
        new StartFrom.Last(1)).recovery().latest().epoch();

    SessionHandle.SubscribeResult result = subscriber.subscribe("chat/a", 1, new StartFrom.After(epoch, 1));

    subscriber.assertReceived("m4", "m5", "m6");
    assertThat(result.recovery().status()).isEqualTo(Recovery.Status.GAP);
    assertThat(result.recovery().gapFrom()).isEqualTo(2);
    assertThat(result.recovery().gapTo()).isEqualTo(3);
    assertThat(result.recovery().reason()).isEqualTo(Recovery.GapReason.TRIMMED);
  }

  @Test
  void aTopicWithoutHistoryRecoversNothingAndSaysSo() {
    Client subscriber = fixture.connectClean("sub");

    SessionHandle.SubscribeResult result = subscriber.subscribe("news/a", 1, new StartFrom.Last(10));

    assertThat(result.recovery()).isEqualTo(Recovery.unavailable());
  }

  @Test
  void theLastNOfAWildcardComeInTheOrderTheyWerePublished() {
    publisher.publish("chat/a", "a1", 1);
    publisher.publish("chat/b", "b1", 1);
    publisher.publish("chat/a", "a2", 1);
    Client subscriber = fixture.connectClean("sub");

    SessionHandle.SubscribeResult result = subscriber.subscribe("chat/+", 1, new StartFrom.Last(2));

    subscriber.assertReceived("b1", "a2");
    assertThat(result.recovery().status()).isEqualTo(Recovery.Status.COMPLETE);
  }

  @Test
  void historyAndOffsetsSurviveARestart() {
    publisher.publish("chat/a", "before", 1);
    String epoch = epoch();

    fixture.restart();
    Client subscriber = fixture.connectClean("sub");
    SessionHandle.SubscribeResult result = subscriber.subscribe("chat/a", 1, new StartFrom.After(epoch, 0));
    fixture.connectClean("pub2").publish("chat/a", "after", 1);

    subscriber.assertReceived("before", "after");
    assertThat(offsets(subscriber)).containsExactly(1L, 2L);
    assertThat(result.recovery().status()).isEqualTo(Recovery.Status.COMPLETE);
  }
}
