package io.braid.pubsub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.broker.BrokerFixture.Client;
import io.braid.pubsub.topic.TopicFilter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Presence: the members of a tracked topic are the connected clients subscribed to it; a {@code $presence/}
 * subscriber gets their snapshot, then joins and leaves, with the reason of each leave.
 */
class PresenceTest {

  private final BrokerFixture fixture = new BrokerFixture().withPresence("chat/rooms/+");

  private static List<String> events(Client watcher) {
    return watcher.link().publishes.stream()
        .map(p -> p.message().topic().asString() + " " + new String(p.message().payload(), StandardCharsets.UTF_8))
        .toList();
  }

  private Client member(String clientId, String topic) {
    Client client = fixture.connectClean(clientId);
    client.session().presenceInfo("{\"name\":\"" + clientId.toUpperCase() + "\"}");
    client.subscribe(topic, 0);
    return client;
  }

  @Test
  void aPresenceSubscriberGetsTheMembersThenEveryJoinAndLeave() {
    member("alice", "chat/rooms/1");
    Client watcher = fixture.connectClean("watcher");
    watcher.subscribe("$presence/chat/rooms/1", 1);
    Client bob = member("bob", "chat/rooms/1");
    bob.session().unsubscribe(TopicFilter.parse("chat/rooms/1"));

    assertThat(events(watcher)).containsExactly(
        "$presence/chat/rooms/1 {\"type\":\"members\",\"topic\":\"chat/rooms/1\",\"page\":1,\"pages\":1,"
            + "\"members\":[{\"clientId\":\"alice\",\"info\":{\"name\":\"ALICE\"}}]}",
        "$presence/chat/rooms/1 {\"type\":\"join\",\"topic\":\"chat/rooms/1\","
            + "\"member\":{\"clientId\":\"bob\",\"info\":{\"name\":\"BOB\"}}}",
        "$presence/chat/rooms/1 {\"type\":\"leave\",\"topic\":\"chat/rooms/1\","
            + "\"member\":{\"clientId\":\"bob\",\"info\":{\"name\":\"BOB\"}},\"reason\":\"unsubscribed\"}");
  }

  @Test
  void anEmptyTopicGetsAnEmptySnapshotSoTheSubscriberKnowsItIsComplete() {
    Client watcher = fixture.connectClean("watcher");
    watcher.subscribe("$presence/chat/rooms/9", 0);

    assertThat(events(watcher)).containsExactly("$presence/chat/rooms/9 {\"type\":\"members\","
        + "\"topic\":\"chat/rooms/9\",\"page\":1,\"pages\":1,\"members\":[]}");
  }

  @Test
  void aLostConnectionIsALeaveWithReasonLostAndADisconnectWithReasonDisconnected() {
    Client alice = member("alice", "chat/rooms/1");
    Client bob = member("bob", "chat/rooms/1");
    Client watcher = fixture.connectClean("watcher");
    watcher.subscribe("$presence/chat/rooms/1", 0);

    alice.session().connectionLost();
    bob.session().disconnect(false, -1);

    assertThat(events(watcher)).hasSize(3);
    assertThat(events(watcher).get(1)).contains("\"clientId\":\"alice\"").endsWith("\"reason\":\"lost\"}");
    assertThat(events(watcher).get(2)).contains("\"clientId\":\"bob\"").endsWith("\"reason\":\"disconnected\"}");
    assertThat(fixture.broker.presence().memberCount()).isZero();
  }

  @Test
  void aTakeoverIsALeaveOfTheOldConnectionAndAJoinOfTheNew() {
    member("alice", "chat/rooms/1");
    Client watcher = fixture.connectClean("watcher");
    watcher.subscribe("$presence/chat/rooms/1", 0);

    Client again = member("alice", "chat/rooms/1"); // takes the session over, subscribes again
    again.session().connectionLost(); // the new connection is lost in turn

    assertThat(events(watcher)).hasSize(4);
    assertThat(events(watcher).get(1)).contains("\"type\":\"leave\"").endsWith("\"reason\":\"taken-over\"}");
    assertThat(events(watcher).get(2)).contains("\"type\":\"join\"");
    assertThat(events(watcher).get(3)).contains("\"type\":\"leave\"").endsWith("\"reason\":\"lost\"}");
  }

  @Test
  void aWildcardPresenceSubscriptionGetsEachNonEmptyTopicsMembers() {
    member("alice", "chat/rooms/1");
    member("bob", "chat/rooms/2");
    Client watcher = fixture.connectClean("watcher");
    watcher.subscribe("$presence/chat/rooms/+", 0);

    assertThat(events(watcher)).hasSize(2)
        .anySatisfy(e -> assertThat(e).startsWith("$presence/chat/rooms/1 ").contains("alice"))
        .anySatisfy(e -> assertThat(e).startsWith("$presence/chat/rooms/2 ").contains("bob"));
  }

  @Test
  void onlyConnectedSubscribersOfATrackedTopicNameAreMembers() {
    member("lurker", "chat/rooms/+"); // a wildcard: not in any one room
    member("elsewhere", "news/today"); // not tracked
    assertThat(fixture.broker.presence().memberCount()).isZero();
  }

  @Test
  void aLargeRoomComesInPagesOfFiveHundred() {
    for (int i = 0; i < 1_200; i++) {
      member("m" + i, "chat/rooms/big");
    }
    Client watcher = fixture.connectClean("watcher");
    watcher.subscribe("$presence/chat/rooms/big", 0);

    assertThat(events(watcher)).hasSize(3);
    assertThat(events(watcher).get(2)).contains("\"page\":3,\"pages\":3");
    assertThat(events(watcher).stream().mapToLong(e -> e.split("\"clientId\"").length - 1).sum()).isEqualTo(1_200);
  }

  @Test
  void nobodyIsPresentAfterARestart() {
    Client alice = fixture.connectPersistent("alice");
    alice.subscribe("chat/rooms/1", 0);
    fixture.restart();

    Client watcher = fixture.connectClean("watcher");
    watcher.subscribe("$presence/chat/rooms/1", 0);

    assertThat(events(watcher)).singleElement().asString().endsWith("\"members\":[]}");
  }

  @Test
  void aNameAnotherMemberHasInATopicIsRefusedAndNothingIsSubscribed() {
    Client first = fixture.connectClean("al-1");
    first.session().presenceInfo("{\"nick\":\"Al\"}", "Al");
    first.subscribe("chat/rooms/1", 0);
    Client second = fixture.connectClean("al-2");
    second.session().presenceInfo("{\"nick\":\"Al\"}", "Al");

    SessionHandle.SubscribeResult result = second.session().subscribe(TopicFilter.parse("chat/rooms/1"),
        io.braid.pubsub.subscription.SubscriptionOptions.ofMaxQos(0), io.braid.pubsub.history.StartFrom.NOW);

    assertThat(result.refusal()).isEqualTo("the name 'Al' is taken in chat/rooms/1");
    assertThat(second.session().subscriptions()).isEmpty();
    assertThat(fixture.broker.presence().memberCount()).isEqualTo(1);
    second.subscribe("chat/rooms/2", 0); // elsewhere the name is free
    first.subscribe("chat/rooms/1", 0); // and its holder may subscribe again
    assertThat(fixture.broker.presence().memberCount()).isEqualTo(2);
  }
}
