package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.message.Connect;
import io.braid.protocol.message.PubAck;
import io.braid.protocol.message.Publish;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.message.UserProperty;
import io.braid.server.BrokerRuntime;
import io.braid.server.auth.PasswordHash;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code auth.senderTopics}: messages on those topics carry {@code braid.sender}, who sent them as the broker knows
 * it, and no client can put words in another's mouth: a {@code braid.sender} a client sends is removed everywhere.
 */
class SenderStampIT {

  @TempDir
  Path directory;
  private BrokerRuntime broker;

  @AfterEach
  void stop() throws Exception {
    TestBrokers.stop(broker);
  }

  @Test
  void anAnonymousSenderIsStampedWithItsClientIdAndCannotClaimAnotherName() {
    broker = TestBrokers.start("auth.senderTopics", "chat/#");

    Publish received = roundTrip(connect("mallory"), connect("reader"), "chat/rooms/1");

    assertThat(received.userProperties()).containsExactly(new UserProperty("trace", "1"),
        new UserProperty("braid.sender", "anonymous:mallory"));
  }

  @Test
  void anAuthenticatedSenderIsStampedWithItsUserName() throws Exception {
    Path users = directory.resolve("users");
    Files.writeString(users, "alice:" + PasswordHash.create("wonderland", 1_000).encoded() + "\n"
        + "reader:" + PasswordHash.create("reading", 1_000).encoded() + "\n");
    broker = TestBrokers.start("auth.senderTopics", "chat/#", "auth.anonymous", "false",
        "auth.usersFile", users.toString());

    Publish received = roundTrip(connect("alice-laptop").username("alice").password(Buffer.buffer("wonderland")),
        connect("reader").username("reader").password(Buffer.buffer("reading")), "chat/rooms/1");

    assertThat(received.userProperties()).contains(new UserProperty("braid.sender", "alice"));
  }

  @Test
  void otherTopicsAreNotStampedAndAForgedSenderIsRemovedThereToo() {
    broker = TestBrokers.start("auth.senderTopics", "chat/#");

    Publish received = roundTrip(connect("mallory"), connect("reader"), "news/today");

    assertThat(received.userProperties()).containsExactly(new UserProperty("trace", "1"));
  }

  private static Connect.Builder connect(String clientId) {
    return Connect.builder(clientId).cleanStart(true).keepAlive(60);
  }

  /** The publisher sends a message claiming to be "admin"; what the subscriber gets. */
  private Publish roundTrip(Connect.Builder publisher, Connect.Builder subscriber, String topic) {
    try (EndpointTestClient reader = EndpointTestClient.connected(broker.port(), BrokerTestClient.BINARY,
            subscriber.build());
        EndpointTestClient writer = EndpointTestClient.connected(broker.port(), BrokerTestClient.BINARY,
            publisher.build())) {
      int stream = reader.subscribe(Subscribe.of(topic, 0));
      int publishing = writer.openStream();
      writer.send(publishing, Publish.builder(topic, Buffer.buffer("hi")).qos(1, 1)
          .userProperties(List.of(new UserProperty("trace", "1"), new UserProperty("braid.sender", "admin")))
          .build(), false);
      assertThat(writer.next().message()).isInstanceOf(PubAck.class);
      EndpointTestClient.Received delivery = reader.next();
      assertThat(delivery.streamId()).isEqualTo(stream);
      return (Publish) delivery.message();
    }
  }
}
