package io.braid.pubsub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.broker.BrokerFixture.Client;
import io.braid.pubsub.history.StartFrom;
import io.braid.pubsub.presence.LeaveReason;
import io.braid.pubsub.presence.Membership;
import io.braid.pubsub.presence.PresenceReplication;
import io.braid.pubsub.subscription.SubscriptionOptions;
import io.braid.pubsub.topic.TopicFilter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Presence in a cluster, on one node: the members other nodes tell of are in its snapshots and events like its own,
 * its own changes (and only those) are told to the others in order, and a client's membership belongs to the node
 * that told of it last.
 */
class PresenceAcrossNodesTest {

  private static final String ROOM = "chat/rooms/1";
  private final BrokerFixture fixture = new BrokerFixture().withPresence("chat/rooms/+");
  private final List<String> told = new ArrayList<>();

  @BeforeEach
  void replicate() {
    fixture.broker.presence().replicateTo(new PresenceReplication() {
      @Override
      public void joined(Membership membership) {
        told.add("joined " + membership.topic() + " " + membership.clientId() + " " + membership.info());
      }

      @Override
      public void left(String topic, String clientId, LeaveReason reason) {
        told.add("left " + topic + " " + clientId + " " + reason);
      }
    });
  }

  private static List<String> events(Client watcher) {
    return watcher.link().publishes.stream()
        .map(p -> new String(p.message().payload(), StandardCharsets.UTF_8))
        .toList();
  }

  private Client watcher() {
    Client watcher = fixture.connectClean("watcher");
    watcher.subscribe("$presence/" + ROOM, 1);
    return watcher;
  }

  private static Membership elsewhere(String clientId) {
    return new Membership(ROOM, clientId, "{\"nick\":\"" + clientId + "\"}", clientId);
  }

  @Test
  void aMemberOfAnotherNodeIsInTheSnapshotAndItsLeaveIsPublishedHere() {
    fixture.broker.presence().joinedElsewhere("node-b", elsewhere("bob"));
    Client watcher = watcher();

    fixture.broker.presence().leftElsewhere("node-b", ROOM, "bob", LeaveReason.DISCONNECTED);

    assertThat(events(watcher)).containsExactly(
        "{\"type\":\"members\",\"topic\":\"chat/rooms/1\",\"page\":1,\"pages\":1,"
            + "\"members\":[{\"clientId\":\"bob\",\"info\":{\"nick\":\"bob\"}}]}",
        "{\"type\":\"leave\",\"topic\":\"chat/rooms/1\",\"member\":{\"clientId\":\"bob\",\"info\":{\"nick\":\"bob\"}},"
            + "\"reason\":\"disconnected\"}");
    assertThat(told).as("another node's members are not told again").isEmpty();
  }

  @Test
  void ownJoinsAndLeavesAreToldToTheOtherNodesInOrder() {
    Client alice = fixture.connectClean("alice");
    alice.session().presenceInfo("{\"nick\":\"al\"}", "al");
    alice.subscribe(ROOM, 0);
    alice.session().unsubscribe(TopicFilter.parse(ROOM));

    assertThat(told).containsExactly("joined chat/rooms/1 alice {\"nick\":\"al\"}",
        "left chat/rooms/1 alice UNSUBSCRIBED");
  }

  @Test
  void aNameAMemberOfAnotherNodeHasIsRefusedHere() {
    fixture.broker.presence().joinedElsewhere("node-b", elsewhere("al"));
    Client second = fixture.connectClean("al-2");
    second.session().presenceInfo("{\"nick\":\"al\"}", "al");

    SessionHandle.SubscribeResult result = second.session().subscribe(TopicFilter.parse(ROOM),
        SubscriptionOptions.ofMaxQos(0), StartFrom.NOW);

    assertThat(result.refusal()).isEqualTo("the name 'al' is taken in chat/rooms/1");
    assertThat(told).isEmpty();
  }

  @Test
  void aClientThatMovedHereIsNotRemovedByItsFormerNodesLeave() {
    fixture.broker.presence().joinedElsewhere("node-b", elsewhere("bob"));
    Client watcher = watcher();
    Client bob = fixture.connectClean("bob");
    bob.subscribe(ROOM, 0); // bob reconnected here before node b told of its old connection's leave

    fixture.broker.presence().leftElsewhere("node-b", ROOM, "bob", LeaveReason.LOST);

    assertThat(events(watcher)).as("bob never left").hasSize(1);
    assertThat(fixture.broker.presence().memberCount()).isEqualTo(1);
    assertThat(told).as("the others learn that bob is here now").containsExactly("joined chat/rooms/1 bob null");
  }

  @Test
  void aClientThatMovedElsewhereIsNotRemovedByItsOldConnectionsLeaveHere() {
    Client bob = fixture.connectClean("bob");
    bob.subscribe(ROOM, 0);
    fixture.broker.presence().joinedElsewhere("node-b", elsewhere("bob")); // bob took its session to node b
    told.clear();

    bob.session().connectionLost();

    assertThat(fixture.broker.presence().memberCount()).isEqualTo(1);
    assertThat(told).as("not a leave of bob: node b has it").isEmpty();
  }

  @Test
  void aNodeThatLeftTakesItsMembersWithItAsLost() {
    fixture.broker.presence().joinedElsewhere("node-b", elsewhere("bob"));
    fixture.broker.presence().joinedElsewhere("node-c", elsewhere("carol"));
    Client watcher = watcher();

    fixture.broker.presence().nodeLeft("node-b");

    assertThat(events(watcher)).hasSize(2);
    assertThat(events(watcher).get(1)).contains("\"type\":\"leave\"", "\"clientId\":\"bob\"")
        .endsWith("\"reason\":\"lost\"}");
    assertThat(fixture.broker.presence().memberCount()).isEqualTo(1);
  }

  @Test
  void allTheMembersOfANodeReplaceWhatItToldBefore() {
    fixture.broker.presence().joinedElsewhere("node-b", elsewhere("bob"));
    fixture.broker.presence().joinedElsewhere("node-b", elsewhere("dan"));
    Client watcher = watcher();

    fixture.broker.presence().membersElsewhere("node-b", List.of(elsewhere("dan"), elsewhere("erin")));

    assertThat(events(watcher)).hasSize(3);
    assertThat(events(watcher).get(1)).contains("\"type\":\"leave\"", "\"clientId\":\"bob\"");
    assertThat(events(watcher).get(2)).contains("\"type\":\"join\"", "\"clientId\":\"erin\"");
    assertThat(fixture.broker.presence().memberCount()).isEqualTo(2);
  }

  @Test
  void ownMembersAreThoseConnectedHere() {
    fixture.broker.presence().joinedElsewhere("node-b", elsewhere("bob"));
    Client alice = fixture.connectClean("alice");
    alice.subscribe(ROOM, 0);
    List<Membership> own = new ArrayList<>();

    fixture.broker.presence().ownMembers(own::addAll);

    assertThat(own).containsExactly(new Membership(ROOM, "alice", null, null));
  }
}
