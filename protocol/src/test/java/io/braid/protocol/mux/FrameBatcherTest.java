package io.braid.protocol.mux;

import static io.braid.protocol.mux.Frames.data;
import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.testing.Hex;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@link FrameBatcher} coalesces frames into WebSocket messages. */
class FrameBatcherTest {
  private final List<String> messages = new ArrayList<>();

  private void sink(Buffer message) {
    messages.add(Hex.hex(message));
  }

  @Test
  void framesQueuedTogetherTravelInOneMessage() {
    FrameBatcher batcher = new FrameBatcher(100);
    batcher.add(data(1, false, "6869"), this::sink); // 01 00 02 6869
    batcher.add(new StreamFrame.WindowUpdate(0, 16), this::sink); // 00 30 01 10
    batcher.add(new StreamFrame.Reset(5, ErrorCode.CANCEL), this::sink); // 05 10 01 07
    assertThat(messages).isEmpty();
    assertThat(batcher.pendingBytes()).isEqualTo(13);
    batcher.flush(this::sink);
    assertThat(messages).containsExactly("0100026869" + "00300110" + "05100107");
    assertThat(batcher.pendingBytes()).isZero();
  }

  @Test
  void aFrameThatWouldOverflowTheBatchStartsTheNextMessage() {
    FrameBatcher batcher = new FrameBatcher(9);
    batcher.add(data(1, false, "6869"), this::sink); // 5 bytes
    batcher.add(new StreamFrame.WindowUpdate(0, 16), this::sink); // 4 bytes: exactly 9
    batcher.add(data(3, false, "21"), this::sink); // 4 more would make 13
    assertThat(messages).containsExactly("0100026869" + "00300110");
    batcher.flush(this::sink);
    assertThat(messages).containsExactly("0100026869" + "00300110", "03000121");
  }

  @Test
  void aFrameLargerThanTheLimitTravelsAloneAndWhole() {
    FrameBatcher batcher = new FrameBatcher(4);
    batcher.add(data(1, false, "21"), this::sink); // 01 00 01 21: 4 bytes
    batcher.add(data(3, false, "6869"), this::sink); // 5 bytes, over the limit on its own
    batcher.add(data(5, false, "21"), this::sink);
    batcher.flush(this::sink);
    assertThat(messages).containsExactly("01000121", "0300026869", "05000121");
  }

  @Test
  void flushWithNothingQueuedSendsNothing() {
    FrameBatcher batcher = new FrameBatcher(100);
    batcher.flush(this::sink);
    batcher.add(data(1, false, ""), this::sink);
    batcher.flush(this::sink);
    batcher.flush(this::sink);
    assertThat(messages).containsExactly("010000");
  }
}
