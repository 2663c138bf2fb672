package io.braid.pubsub.broker;

/** Recovery on the in-memory store, restarted in the same process. */
class InMemoryRecoveryTest extends RecoveryTest {

  @Override
  BrokerFixture newFixture() {
    return new BrokerFixture();
  }
}
