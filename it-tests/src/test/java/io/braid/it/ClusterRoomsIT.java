package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.braid.client.BraidClient;
import io.braid.client.BraidClientOptions;
import io.braid.client.BraidException;
import io.braid.client.ReceivedMessage;
import io.braid.client.Subscription;
import io.braid.protocol.message.RecoveryReport;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.message.SubscribeStart;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What chat rooms need of three clustered brokers in child JVMs: presence and history across nodes. A presence watcher
 * on any node sees the members of every node, in its snapshot and in the joins and leaves after it; a nickname taken
 * on one node is refused on another; the members of a node killed with {@code kill -9} leave (reason lost); a node
 * that joins later learns every member. A reader on any node gets the history of what was published on every node.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterRoomsIT {

  private static final String ROOM = "chat/rooms/1";
  private static final List<String> NODE_ARGS = List.of("--memory", "--set", "presence.filters=chat/rooms/+",
      "--set", "presence.uniqueField=nick", "--set", "history.filters=chat/rooms/+");
  private static final List<ChildBroker> nodes = new ArrayList<>();
  private static final List<Integer> clusterPorts = new ArrayList<>();
  private static Vertx vertx;
  private final List<BraidClient> clients = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    vertx = Vertx.vertx();
    clusterPorts.addAll(TestClusters.freePorts(3));
    nodes.addAll(TestClusters.start(clusterPorts, NODE_ARGS));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (ChildBroker node : nodes) {
      node.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void disconnect() throws Exception {
    for (BraidClient client : clients) {
      try {
        client.disconnect().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // its node was killed
      }
    }
    for (ChildBroker node : nodes) {
      if (node.isAlive()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> node.metric("braid_presence_members") == 0);
      }
    }
  }

  private BraidClient client(String clientId, String nick, ChildBroker node) throws Exception {
    BraidClientOptions options = new BraidClientOptions().clientId(clientId)
        .uris("ws://" + TestServers.HOST + ":" + node.port() + "/braid");
    if (nick != null) {
      options.presence(new JsonObject().put("nick", nick).encode());
    }
    BraidClient client = BraidClient.create(vertx, options);
    clients.add(client);
    client.connect().await(10, TimeUnit.SECONDS);
    return client;
  }

  private BraidClient member(String clientId, ChildBroker node) throws Exception {
    BraidClient client = client(clientId, clientId, node);
    client.subscribe(ROOM, 0, (ReceivedMessage message) -> { }).await(10, TimeUnit.SECONDS);
    return client;
  }

  private BlockingQueue<JsonObject> watch(ChildBroker node) throws Exception {
    BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
    client("watcher-" + node.port(), null, node).subscribe("$presence/" + ROOM, 1,
        (ReceivedMessage message) -> events.add(new JsonObject(message.payload()))).await(10, TimeUnit.SECONDS);
    return events;
  }

  private static JsonObject next(BlockingQueue<JsonObject> events) throws InterruptedException {
    JsonObject event = events.poll(20, TimeUnit.SECONDS);
    assertThat(event).as("a presence event within 20 s").isNotNull();
    return event;
  }

  private static List<String> memberIds(JsonObject snapshot) {
    return snapshot.getJsonArray("members").stream().map(m -> ((JsonObject) m).getString("clientId")).sorted()
        .toList();
  }

  private static void awaitMembers(int count, ChildBroker... on) {
    await().atMost(Duration.ofSeconds(20)).until(() -> Stream.of(on).allMatch(node -> {
      try {
        return node.metric("braid_presence_members") == count;
      } catch (Exception e) {
        return false;
      }
    }));
  }

  @Test
  @Order(1)
  void aWatcherOnAnyNodeSeesTheMembersOfEveryNodeThenTheirJoinsAndLeaves() throws Exception {
    member("alice", nodes.get(0));
    BraidClient bob = member("bob", nodes.get(2));
    awaitMembers(2, nodes.get(0), nodes.get(1), nodes.get(2));
    BlockingQueue<JsonObject> onB = watch(nodes.get(1));
    BlockingQueue<JsonObject> onA = watch(nodes.get(0));
    assertThat(memberIds(next(onB))).containsExactly("alice", "bob");
    assertThat(memberIds(next(onA))).containsExactly("alice", "bob");

    member("carol", nodes.get(0));
    bob.disconnect().await(10, TimeUnit.SECONDS);

    for (BlockingQueue<JsonObject> watcher : List.of(onB, onA)) {
      JsonObject join = next(watcher);
      assertThat(join.getString("type")).isEqualTo("join");
      assertThat(join.getJsonObject("member")).isEqualTo(new JsonObject("{\"clientId\":\"carol\","
          + "\"info\":{\"nick\":\"carol\"}}"));
      JsonObject leave = next(watcher);
      assertThat(leave.getString("type")).isEqualTo("leave");
      assertThat(leave.getJsonObject("member").getString("clientId")).isEqualTo("bob");
      assertThat(leave.getString("reason")).isEqualTo("disconnected");
    }
    awaitMembers(2, nodes.get(0), nodes.get(1), nodes.get(2));
    assertThat(onB.poll(500, TimeUnit.MILLISECONDS)).as("each event once").isNull();
    assertThat(onA).isEmpty();
  }

  @Test
  @Order(2)
  void aNicknameTakenOnOneNodeIsRefusedOnAnother() throws Exception {
    member("al-1", nodes.get(0));
    awaitMembers(1, nodes.get(1));
    BraidClient second = client("al-2", "al-1", nodes.get(1));

    Throwable refusal = catchRefusal(second);

    assertThat(refusal).isInstanceOfSatisfying(BraidException.Refused.class,
        refused -> assertThat(refused.reasonCode()).isEqualTo(0x83));
    assertThat(refusal).hasMessageContaining("the name 'al-1' is taken in chat/rooms/1");
    assertThat(nodes.get(1).metric("braid_presence_members")).isEqualTo(1);
  }

  private static Throwable catchRefusal(BraidClient client) {
    try {
      client.subscribe(ROOM, 0, (ReceivedMessage message) -> { }).await(10, TimeUnit.SECONDS);
      return null;
    } catch (Exception e) {
      return e;
    }
  }

  @Test
  @Order(3)
  void aReaderOnAnyNodeGetsTheHistoryOfMessagesPublishedOnEveryNode() throws Exception {
    String room = "chat/rooms/history";
    BraidClient onA = client("writer-a", null, nodes.get(0));
    BraidClient onC = client("writer-c", null, nodes.get(2));
    List<String> published = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      // acknowledged once every node has appended it to its history
      onA.publish(room, Buffer.buffer("a" + i), 1).await(10, TimeUnit.SECONDS);
      onC.publish(room, Buffer.buffer("c" + i), 1).await(10, TimeUnit.SECONDS);
      published.addAll(List.of("a" + i, "c" + i));
    }
    List<String> received = new CopyOnWriteArrayList<>();
    BraidClient reader = client("reader", null, nodes.get(1));

    Subscription subscription = reader.subscribe(Subscribe.of(room, 1).withStart(new SubscribeStart.Last(20)))
        .await(10, TimeUnit.SECONDS);
    subscription.handler(message -> received.add(message.payload().toString()));

    await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == published.size());
    assertThat(received).containsExactlyElementsOf(published);
    assertThat(subscription.recovery().status()).isEqualTo(RecoveryReport.Status.COMPLETE);
    assertThat(subscription.recovery().latest().offset()).isEqualTo(published.size());
  }

  @Test
  @Order(4)
  void theMembersOfAKilledNodeLeaveAsLostAndANodeThatJoinsLaterLearnsEveryMember() throws Exception {
    member("dave", nodes.get(0));
    member("erin", nodes.get(2));
    awaitMembers(2, nodes.get(0), nodes.get(1), nodes.get(2));
    BlockingQueue<JsonObject> onB = watch(nodes.get(1));
    assertThat(memberIds(next(onB))).containsExactly("dave", "erin");

    nodes.get(2).kill9();

    JsonObject leave = next(onB);
    assertThat(leave.getString("type")).isEqualTo("leave");
    assertThat(leave.getJsonObject("member").getString("clientId")).isEqualTo("erin");
    assertThat(leave.getString("reason")).isEqualTo("lost");

    ChildBroker later = TestClusters.startNode(clusterPorts.get(2), clusterPorts, NODE_ARGS);
    nodes.set(2, later);
    await().atMost(Duration.ofSeconds(60)).until(() -> later.metric("braid_cluster_nodes") == 3);
    awaitMembers(1, later);
    assertThat(memberIds(next(watch(later)))).containsExactly("dave");
  }
}
