package io.braid.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectionGateTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void admitsUpToTheMaximumAndAgainOnceOneIsReleased() {
    ConnectionGate gate = new ConnectionGate(2, 0);

    assertThat(gate.admit("10.0.0.1", 0)).isNull();
    assertThat(gate.admit("10.0.0.2", 0)).isNull();
    assertThat(gate.admit("10.0.0.3", 0)).isEqualTo(ConnectionGate.Refusal.TOO_MANY_CONNECTIONS);
    gate.released();
    assertThat(gate.admit("10.0.0.3", 0)).isNull();
    assertThat(gate.openConnections()).isEqualTo(2);
  }

  @Test
  void limitsTheRateOfEachAddressOnItsOwn() {
    ConnectionGate gate = new ConnectionGate(0, 2);

    assertThat(gate.admit("10.0.0.1", 0)).isNull();
    assertThat(gate.admit("10.0.0.1", 0)).isNull();
    assertThat(gate.admit("10.0.0.1", 0)).isEqualTo(ConnectionGate.Refusal.RATE_EXCEEDED);
    assertThat(gate.admit("10.0.0.2", 0)).as("another address has its own bucket").isNull();
    assertThat(gate.admit("10.0.0.1", SECOND)).as("a second later").isNull();
  }

  @Test
  void aRefusalForTheRateDoesNotTakeAConnectionSlot() {
    ConnectionGate gate = new ConnectionGate(10, 1);
    gate.admit("10.0.0.1", 0);

    gate.admit("10.0.0.1", 0);

    assertThat(gate.openConnections()).isEqualTo(1);
  }

  @Test
  void sweepForgetsIdleAddresses() {
    ConnectionGate gate = new ConnectionGate(0, 5);
    gate.admit("10.0.0.1", 0);
    for (int i = 0; i < 5; i++) {
      gate.admit("10.0.0.2", 10 * SECOND); // its whole second's worth: it needs a second to refill
    }

    gate.sweep(10 * SECOND + SECOND / 2);

    assertThat(gate.trackedAddresses()).isEqualTo(1);
  }
}
