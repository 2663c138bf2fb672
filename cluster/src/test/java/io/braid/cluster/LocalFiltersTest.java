package io.braid.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.topic.TopicFilter;
import org.junit.jupiter.api.Test;

class LocalFiltersTest {

  private final LocalFilters filters = new LocalFilters();
  private final TopicFilter chat = TopicFilter.parse("chat/#");

  @Test
  void aFilterIsNewOnlyAtItsFirstSubscriptionAndGoneOnlyAtItsLast() {
    assertThat(filters.increment(chat)).isTrue();
    assertThat(filters.increment(chat)).isFalse();
    assertThat(filters.decrement(chat)).isFalse();
    assertThat(filters.contains(chat)).isTrue();
    assertThat(filters.decrement(chat)).isTrue();
    assertThat(filters.contains(chat)).isFalse();
  }

  @Test
  void decrementingAnUnknownFilterChangesNothing() {
    assertThat(filters.decrement(chat)).isFalse();
    assertThat(filters.filters()).isEmpty();
  }
}
