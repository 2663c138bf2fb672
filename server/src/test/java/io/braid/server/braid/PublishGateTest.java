package io.braid.server.braid;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.message.ReasonCode;
import io.braid.server.frontend.ConnectedClient;
import io.braid.server.frontend.PublishGate;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The publish gate's checks, also when a topic repeats (the last allowed one is remembered, never another). */
class PublishGateTest {

  private final PartsFixture fixture = new PartsFixture();
  private final ConnectedClient client = fixture.connect("gated", false, new PublicationStreamsTest.IdleLink());
  private final PublishGate gate = fixture.frontEnd.publishGate(client);

  @AfterEach
  void close() throws Exception {
    fixture.close();
  }

  private PublishGate.Verdict check(String topic) {
    return gate.check(topic, 1, false, Buffer.buffer("x"));
  }

  @Test
  void aRepeatedTopicIsAcceptedAsTheSameName() {
    PublishGate.Accept first = (PublishGate.Accept) check("sensors/1");
    PublishGate.Accept again = (PublishGate.Accept) check("sensors/1");

    assertThat(again.topic()).isSameAs(first.topic());
    assertThat(again.topic().asString()).isEqualTo("sensors/1");
  }

  @Test
  void aTopicAllowedBeforeLetsNoDeniedOneThrough() {
    check("sensors/1");

    assertThat(check("$SYS/broker")).isInstanceOfSatisfying(PublishGate.Refuse.class,
        refused -> assertThat(refused.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED));
    assertThat(check("sensors/1")).isInstanceOf(PublishGate.Accept.class);
  }

  @Test
  void aTopicAllowedBeforeLetsNoInvalidOneThrough() {
    check("sensors/1");

    assertThat(check("sensors/+")).isInstanceOfSatisfying(PublishGate.Refuse.class,
        refused -> assertThat(refused.reasonCode()).isEqualTo(ReasonCode.TOPIC_NAME_INVALID));
  }
}
