package io.braid.bench.jmh;

import io.braid.pubsub.store.BrokerStore;
import io.braid.pubsub.store.InMemoryStore;
import io.braid.pubsub.store.MVStoreBrokerStore;
import io.braid.pubsub.store.SyncPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A broker store for a benchmark: in memory, or durable (fsync on every group commit) in a temporary directory deleted afterwards. */
record StoreFixture(BrokerStore store, Path directory) {

  static StoreFixture open(String kind) {
    if (kind.equals("memory")) {
      return new StoreFixture(new InMemoryStore(), null);
    }
    if (kind.equals("mvstore")) {
      try {
        Path directory = Files.createTempDirectory("braid-bench-store");
        return new StoreFixture(MVStoreBrokerStore.open(directory, SyncPolicy.FSYNC), directory);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalArgumentException("unknown store " + kind);
  }

  void delete() {
    if (directory == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
