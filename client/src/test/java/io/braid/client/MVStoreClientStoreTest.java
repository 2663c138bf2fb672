package io.braid.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MVStoreClientStoreTest {

  @TempDir
  Path directory;

  private static ClientStore.StoredPublish publish(int packetId, String payload) {
    return new ClientStore.StoredPublish(packetId, Buffer.buffer(payload), false);
  }

  @Test
  void whatWasSyncedIsThereAfterReopening() throws Exception {
    Path file = directory.resolve("client.db");
    try (ClientStore store = ClientStore.file(file)) {
      store.putPublish(publish(7, "seven"));
      store.putPublish(publish(3, "three"));
      store.addReceivedQos2(42);
      store.sync().get(10, TimeUnit.SECONDS);
    }

    try (ClientStore store = ClientStore.file(file)) {
      ClientStore.Snapshot snapshot = store.load();
      assertThat(snapshot.publishes()).extracting(ClientStore.StoredPublish::packetId).containsExactly(7, 3);
      assertThat(snapshot.publishes().get(0).publish().toString()).isEqualTo("seven");
      assertThat(snapshot.receivedQos2()).containsExactly(42);
    }
  }

  @Test
  void publishesKeepTheOrderTheyWereMadeInNotTheirIdentifiers() {
    try (ClientStore store = ClientStore.file(directory.resolve("order.db"))) {
      store.putPublish(publish(65_535, "first"));
      store.putPublish(publish(1, "second"));

      assertThat(store.load().publishes()).extracting(p -> p.publish().toString()).containsExactly("first", "second");
    }
  }

  @Test
  void releasingKeepsThePublishMarkedAndRemovingForgetsIt() {
    try (ClientStore store = ClientStore.file(directory.resolve("release.db"))) {
      store.putPublish(publish(1, "a"));
      store.putPublish(publish(2, "b"));

      store.releasePublish(1);
      store.removePublish(2);

      assertThat(store.load().publishes()).singleElement().satisfies(p -> {
        assertThat(p.packetId()).isEqualTo(1);
        assertThat(p.released()).isTrue();
        assertThat(p.publish().toString()).isEqualTo("a");
      });
    }
  }

  @Test
  void aReleasedIdentifierIsForgotten() {
    try (ClientStore store = ClientStore.file(directory.resolve("qos2.db"))) {
      store.addReceivedQos2(9);
      store.removeReceivedQos2(9);

      assertThat(store.load().receivedQos2()).isEmpty();
    }
  }
}
