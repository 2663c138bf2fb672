package io.braid.pubsub.broker;

import io.braid.pubsub.store.MVStoreBrokerStore;
import io.braid.pubsub.store.SyncPolicy;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Recovery on the durable store: the restarted broker reads everything back from the file. */
class DurableRecoveryTest extends RecoveryTest {

  @TempDir
  Path dataDirectory;

  @Override
  BrokerFixture newFixture() {
    return new BrokerFixture(BrokerOptions.DEFAULTS, MVStoreBrokerStore.open(dataDirectory, SyncPolicy.FSYNC),
        closed -> MVStoreBrokerStore.open(dataDirectory, SyncPolicy.FSYNC));
  }
}
