package io.braid.protocol.mux;

import static io.braid.protocol.mux.Frames.describe;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Any frames encoded by {@link BinaryFrameCodec#encode}, batched into WebSocket messages however the
 * sender likes, decode to the same frames in the same order; and no bytes at all make the decoder
 * throw anything but {@link StreamLayerException}.
 */
class BinaryFrameCodecPropertyTest {
  private static final BinaryFrameCodec CODEC = new BinaryFrameCodec(StreamSettings.DEFAULTS.maxFramePayload());

  @Provide
  Arbitrary<List<StreamFrame>> frames() {
    return Frames.binaryFrames().list().ofMinSize(1).ofMaxSize(20);
  }

  @Property(tries = 500)
  void framesBatchedAtRandomMessageBoundariesDecodeInOrder(@ForAll("frames") List<StreamFrame> frames, @ForAll long seed) {
    Random random = new Random(seed);
    List<StreamFrame> decoded = new ArrayList<>();
    Buffer message = Buffer.buffer();
    for (int i = 0; i < frames.size(); i++) {
      BinaryFrameCodec.encode(frames.get(i), message);
      if (i == frames.size() - 1 || random.nextInt(3) == 0) {
        CODEC.decode(message, decoded::add);
        message = Buffer.buffer();
      }
    }
    assertThat(describe(decoded)).isEqualTo(describe(frames));
  }

  @Property(tries = 500)
  void framesBatchedByFrameBatcherDecodeInOrder(@ForAll("frames") List<StreamFrame> frames,
      @ForAll @IntRange(min = 1, max = 300) int maxMessageBytes) {
    FrameBatcher batcher = new FrameBatcher(maxMessageBytes);
    List<Buffer> messages = new ArrayList<>();
    for (StreamFrame frame : frames) {
      batcher.add(frame, messages::add);
    }
    batcher.flush(messages::add);
    assertThat(batcher.pendingBytes()).isZero();

    List<StreamFrame> decoded = new ArrayList<>();
    for (Buffer message : messages) {
      int before = decoded.size();
      CODEC.decode(message, decoded::add);
      if (decoded.size() - before > 1) {
        assertThat(message.length()).as("a batch of several frames").isLessThanOrEqualTo(maxMessageBytes);
      }
    }
    assertThat(describe(decoded)).isEqualTo(describe(frames));
  }

  @Property(tries = 3000)
  void anyBytesDecodeToFramesOrAStreamLayerException(@ForAll @Size(max = 48) byte[] bytes) {
    decodeOrStreamLayerException(Buffer.buffer(bytes));
  }

  @Property(tries = 3000)
  void corruptedBatchesDecodeToFramesOrAStreamLayerException(@ForAll("frames") List<StreamFrame> frames, @ForAll long seed) {
    Buffer message = Buffer.buffer();
    frames.forEach(frame -> BinaryFrameCodec.encode(frame, message));
    Random random = new Random(seed);
    int flips = 1 + random.nextInt(3);
    for (int i = 0; i < flips; i++) {
      int at = random.nextInt(message.length());
      message.setByte(at, (byte) (message.getByte(at) ^ (1 << random.nextInt(8))));
    }
    Buffer truncated = random.nextBoolean() ? message : message.slice(0, random.nextInt(message.length() + 1));
    decodeOrStreamLayerException(truncated);
  }

  private static void decodeOrStreamLayerException(Buffer message) {
    List<StreamFrame> decoded = new ArrayList<>();
    try {
      CODEC.decode(message, decoded::add);
      assertThat(decoded).isNotEmpty();
    } catch (StreamLayerException expected) {
      assertThat(expected.reason()).isNotBlank();
      assertThat(ErrorCode.name(expected.errorCode())).isIn("protocol_error", "frame_size_error");
    }
  }
}
