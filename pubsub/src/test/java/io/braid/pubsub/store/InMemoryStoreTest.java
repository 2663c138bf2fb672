package io.braid.pubsub.store;

/** The store contract in memory: "reopening" is closing and reopening the same instance, as a restart test does. */
class InMemoryStoreTest extends BrokerStoreContract {

  @Override
  BrokerStore open() {
    return new InMemoryStore();
  }

  @Override
  BrokerStore reopen(BrokerStore closing) {
    closing.close();
    return ((InMemoryStore) closing).reopen();
  }
}
