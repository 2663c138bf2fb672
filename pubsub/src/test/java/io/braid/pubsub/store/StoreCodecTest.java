package io.braid.pubsub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.braid.pubsub.store.StoreCodec.QueueEntry;
import io.braid.pubsub.topic.TopicFilter;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class StoreCodecTest {

  private static final QueueEntry ENTRY = new QueueEntry(0x0102030405060708L, TopicFilter.parse("sensors/+/temp"), 1,
      false, List.of(7), QueuedMessage.Progress.WAITING);

  @Property
  void theMessageIdReadAloneIsTheDecodedOne(@ForAll long messageId, @ForAll @IntRange(min = 1, max = 40) int levels,
      @ForAll @Size(max = 3) List<@IntRange(min = 1, max = 268_435_455) Integer> identifiers) {
    QueueEntry entry = new QueueEntry(messageId, filterOf(levels), 2, true, identifiers,
        QueuedMessage.Progress.SENT);

    assertThat(StoreCodec.queueEntryMessageId(StoreCodec.encodeQueueEntry(entry))).isEqualTo(messageId);
  }

  @Property
  void advancingTheProgressInPlaceEqualsEncodingTheAdvancedEntry(
      @ForAll QueuedMessage.Progress from, @ForAll QueuedMessage.Progress to,
      @ForAll @IntRange(min = 1, max = 40) int levels) {
    QueueEntry entry = new QueueEntry(42, filterOf(levels), 2, false, List.of(1, 2), from);

    byte[] advanced = StoreCodec.queueEntryReached(StoreCodec.encodeQueueEntry(entry), to);

    assertThat(advanced).isEqualTo(StoreCodec.encodeQueueEntry(entry.reached(to)));
    assertThat(StoreCodec.decodeQueueEntry(advanced)).isEqualTo(entry.reached(to));
  }

  @Test
  void anEntryAlreadyThereIsReturnedUnchangedAndUncopied() {
    byte[] released = StoreCodec.encodeQueueEntry(ENTRY.reached(QueuedMessage.Progress.RELEASED));

    assertThat(StoreCodec.queueEntryReached(released, QueuedMessage.Progress.SENT)).isSameAs(released);
  }

  @Test
  void aTruncatedEntryIsAStoreError() {
    byte[] bytes = StoreCodec.encodeQueueEntry(ENTRY);

    assertThatThrownBy(() -> StoreCodec.queueEntryMessageId(Arrays.copyOf(bytes, 5)))
        .isInstanceOf(StoreException.class).hasMessageContaining("truncated");
    assertThatThrownBy(() -> StoreCodec.queueEntryReached(Arrays.copyOf(bytes, 20), QueuedMessage.Progress.SENT))
        .isInstanceOf(StoreException.class).hasMessageContaining("truncated");
  }

  @Test
  void anEntryOfAnotherFormatIsAStoreError() {
    byte[] bytes = StoreCodec.encodeQueueEntry(ENTRY);
    bytes[0] = 9;

    assertThatThrownBy(() -> StoreCodec.queueEntryMessageId(bytes))
        .isInstanceOf(StoreException.class).hasMessageContaining("unknown format 9");
  }

  @Test
  void anUnknownProgressIsAStoreError() {
    byte[] bytes = StoreCodec.encodeQueueEntry(ENTRY);
    bytes[bytes.length - 1 - Integer.BYTES - Integer.BYTES] = 5; // the progress byte, before the identifiers

    assertThatThrownBy(() -> StoreCodec.queueEntryReached(bytes, QueuedMessage.Progress.SENT))
        .isInstanceOf(StoreException.class).hasMessageContaining("unknown delivery progress 5");
  }

  private static TopicFilter filterOf(int levels) {
    StringBuilder filter = new StringBuilder("a");
    for (int i = 1; i < levels; i++) {
      filter.append(i % 7 == 0 ? "/+" : "/level" + i);
    }
    return TopicFilter.parse(filter.toString());
  }
}
