package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.message.ConnAck;
import io.braid.protocol.message.Connect;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.message.SubAck;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.message.UserProperty;
import io.braid.server.BrokerRuntime;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Presence over the wire, watched by the JDK's WebSocket client in hand-typed {@code braid.v1.json}: the snapshot,
 * joins with the members' declared info and authenticated user, and leaves for a lost connection, a keep-alive
 * timeout and a takeover; nobody is present after a restart.
 */
class PresenceIT {

  private static final String ROOM = "chat/rooms/1";

  @TempDir
  Path dataDirectory;
  private BrokerRuntime broker;
  private JdkJsonClient watcher;

  @AfterEach
  void stop() throws Exception {
    if (watcher != null) {
      watcher.close();
    }
    TestBrokers.stop(broker);
  }

  private BrokerRuntime start() {
    return TestBrokers.start("presence.filters", "chat/rooms/+", "store.type", "mvstore",
        "store.dataDir", dataDirectory.toString());
  }

  @Test
  void aWatcherSeesTheMembersThenJoinsAndLeavesWithTheirReasons() throws Exception {
    broker = start();
    try (EndpointTestClient alice = member("alice", "{\"name\":\"Alice\"}", 60)) {
      watch(ROOM);
      assertThat(nextEvent()).isEqualTo(new JsonObject("{\"type\":\"members\",\"topic\":\"chat/rooms/1\",\"page\":1,"
          + "\"pages\":1,\"members\":[{\"clientId\":\"alice\",\"info\":{\"name\":\"Alice\"}}]}"));

      EndpointTestClient bob = member("bob", null, 60);
      assertThat(nextEvent()).isEqualTo(new JsonObject("{\"type\":\"join\",\"topic\":\"chat/rooms/1\","
          + "\"member\":{\"clientId\":\"bob\"}}"));

      bob.close(); // the TCP connection drops: no DISCONNECT
      JsonObject leave = nextEvent();
      assertThat(leave.getString("type")).isEqualTo("leave");
      assertThat(leave.getJsonObject("member").getString("clientId")).isEqualTo("bob");
      assertThat(leave.getString("reason")).isEqualTo("lost");
    }
  }

  @Test
  void aSilentClientLeavesWhenItsKeepAliveRunsOut() throws Exception {
    broker = start();
    watch(ROOM);
    nextEvent(); // the empty snapshot
    try (EndpointTestClient silent = member("silent", null, 1)) {
      assertThat(nextEvent().getString("type")).isEqualTo("join");
      JsonObject leave = nextEvent(); // within 1.5 keep-alives of silence
      assertThat(leave.getString("type")).isEqualTo("leave");
      assertThat(leave.getString("reason")).isEqualTo("lost");
    }
  }

  @Test
  void aTakeoverIsALeaveOfTheOldConnectionThenAJoinOfTheNew() throws Exception {
    broker = start();
    watch(ROOM);
    nextEvent();
    try (EndpointTestClient first = member("carol", null, 60)) {
      assertThat(nextEvent().getString("type")).isEqualTo("join");
      try (EndpointTestClient second = member("carol", null, 60)) {
        JsonObject leave = nextEvent();
        assertThat(leave.getString("type")).isEqualTo("leave");
        assertThat(leave.getString("reason")).isEqualTo("taken-over");
        assertThat(nextEvent().getString("type")).isEqualTo("join");
      }
    }
  }

  @Test
  void nobodyIsPresentAfterARestart() throws Exception {
    broker = start();
    EndpointTestClient dave = EndpointTestClient.connected(broker.port(), BrokerTestClient.BINARY,
        Connect.builder("dave").keepAlive(60).sessionExpiryInterval(3_600).build());
    dave.subscribe(Subscribe.of(ROOM, 0));
    TestBrokers.stop(broker);
    dave.close();

    broker = start();
    watch(ROOM);

    assertThat(nextEvent().getJsonArray("members")).as("the persistent session is back, its client is not").isEmpty();
  }

  @Test
  void presenceInfoThatIsNotAJsonObjectIsRefusedAtConnect() {
    broker = start();
    try (BrokerTestClient refused = BrokerTestClient.open(broker.port(), BrokerTestClient.BINARY)) {
      ConnAck connAck = refused.connect(Connect.builder("eve").keepAlive(60)
          .userProperties(List.of(new UserProperty("braid.presence", "[1,2]"))).build());
      assertThat(connAck.reasonCode()).isEqualTo(ReasonCode.PAYLOAD_FORMAT_INVALID);
      assertThat(connAck.reasonString()).isEqualTo("braid.presence: must be a JSON object");
    }
  }

  @Test
  void aNameTakenInATopicIsRefusedWithItsReason() {
    broker = TestBrokers.start("presence.filters", "chat/rooms/+", "presence.uniqueField", "nick");
    try (EndpointTestClient first = member("al-1", "{\"nick\":\"Al\"}", 60);
        BrokerTestClient second = BrokerTestClient.connected(broker.port(), BrokerTestClient.BINARY,
            Connect.builder("al-2").cleanStart(true).keepAlive(60)
                .userProperties(List.of(new UserProperty("braid.presence", "{\"nick\":\"Al\"}"))).build())) {
      second.send(1, false, Subscribe.of(ROOM, 0));
      SubAck subAck = (SubAck) second.nextMessageOn(1);
      assertThat(subAck.reasonCode()).isEqualTo(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR);
      assertThat(subAck.reasonString()).isEqualTo("the name 'Al' is taken in chat/rooms/1");
    }
  }

  @Test
  void aPresenceFilterWithNothingAfterThePrefixIsRefused() {
    broker = start();
    try (BrokerTestClient client = BrokerTestClient.connected(broker.port(), BrokerTestClient.BINARY,
        Connect.builder("typo").cleanStart(true).keepAlive(60).build())) {
      client.send(1, false, Subscribe.of("$presence/", 0));
      SubAck subAck = (SubAck) client.nextMessageOn(1);
      assertThat(subAck.reasonCode()).isEqualTo(ReasonCode.TOPIC_FILTER_INVALID);
      assertThat(subAck.reasonString()).startsWith("$presence/ must be followed by a topic filter");
    }
  }

  // ------------------------------------------------------------------------------------------------ helpers

  /** A client that declares {@code info} (or nothing) and subscribes to {@link #ROOM}. */
  private EndpointTestClient member(String clientId, String info, int keepAlive) {
    Connect.Builder connect = Connect.builder(clientId).cleanStart(true).keepAlive(keepAlive);
    if (info != null) {
      connect.userProperties(List.of(new UserProperty("braid.presence", info)));
    }
    EndpointTestClient member = EndpointTestClient.connected(broker.port(), BrokerTestClient.BINARY, connect.build());
    member.subscribe(Subscribe.of(ROOM, 0));
    return member;
  }

  /** Connects the JSON watcher and subscribes it to {@code $presence/<room>}. */
  private void watch(String room) throws Exception {
    watcher = JdkJsonClient.connect(broker.port());
    send("{\"stream\":0,\"frame\":\"settings\",\"settings\":{\"initialStreamWindow\":1000}}");
    send("{\"stream\":0,\"message\":{\"type\":\"connect\",\"clientId\":\"watcher\",\"cleanStart\":true,"
        + "\"keepAlive\":60}}");
    send("{\"stream\":1,\"message\":{\"type\":\"subscribe\",\"topicFilter\":\"$presence/" + room + "\"}}");
    while (!"suback".equals(message(next()).getString("type"))) {
      // the server's SETTINGS and CONNACK come first
    }
  }

  private void send(String json) throws Exception {
    watcher.send(json);
  }

  private JsonObject next() throws InterruptedException {
    return watcher.next();
  }

  private static JsonObject message(JsonObject frame) {
    JsonObject message = frame.getJsonObject("message");
    return message == null ? new JsonObject() : message;
  }

  /** The next presence event: the payload of the next PUBLISH on the presence stream. */
  private JsonObject nextEvent() throws InterruptedException {
    while (true) {
      JsonObject frame = next();
      JsonObject message = message(frame);
      if ("publish".equals(message.getString("type"))) {
        assertThat(message.getString("topic")).startsWith("$presence/");
        return new JsonObject(message.getString("payload"));
      }
    }
  }
}
