package io.braid.pubsub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.broker.BrokerFixture.Client;
import org.junit.jupiter.api.Test;

/** Shared subscriptions through the broker: one member per message, skipping those that cannot take it now. */
class SharedDeliveryTest {

  private final BrokerFixture fixture = new BrokerFixture();
  private final Client publisher = fixture.connectClean("pub");

  @Test
  void spreadsMessagesOverTheMembersRoundRobin() {
    Client a = fixture.connectClean("a");
    Client b = fixture.connectClean("b");
    a.subscribe("$share/g/jobs", 1);
    b.subscribe("$share/g/jobs", 1);

    for (int i = 0; i < 4; i++) {
      publisher.publish("jobs", "j" + i, 0);
    }

    assertThat(a.link().publishes).hasSize(2);
    assertThat(b.link().publishes).hasSize(2);
  }

  @Test
  void skipsAMemberWhoseWindowIsFull() {
    Client busy = fixture.connect(ConnectRequest.clean("busy").withReceiveMaximum(1));
    Client idle = fixture.connectClean("idle");
    busy.subscribe("$share/g/jobs", 1);
    idle.subscribe("$share/g/jobs", 1);
    publisher.publish("jobs", "first", 1); // fills busy's window, whichever member it went to

    for (int i = 0; i < 4; i++) {
      publisher.publish("jobs", "j" + i, 1);
    }

    assertThat(busy.link().publishes).hasSizeLessThanOrEqualTo(1);
    assertThat(busy.link().publishes.size() + idle.link().publishes.size()).isEqualTo(5);
  }

  @Test
  void skipsADisconnectedMember() {
    Client away = fixture.connectPersistent("away");
    Client here = fixture.connectClean("here");
    away.subscribe("$share/g/jobs", 1);
    here.subscribe("$share/g/jobs", 1);
    away.session().connectionLost();

    for (int i = 0; i < 3; i++) {
      publisher.publish("jobs", "j" + i, 1);
    }

    here.assertReceived("j0", "j1", "j2");
  }

  @Test
  void queuesForAMemberWhenNoneIsAvailableRatherThanLoseTheMessage() {
    Client away = fixture.connectPersistent("away");
    away.subscribe("$share/g/jobs", 1);
    away.session().connectionLost();

    publisher.publish("jobs", "waiting", 1);

    assertThat(fixture.broker.stats().sharedGroupFallbacks()).isEqualTo(1);
    fixture.connectPersistent("away").assertReceived("waiting");
  }
}
