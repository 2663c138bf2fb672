package io.braid.protocol.mux;

import static io.braid.protocol.mux.Connection.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.codec.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * However sends (only while {@link Multiplexer#sendCredit} is positive), consumption by the
 * receiving application and the delivery of its window updates interleave, the receiver never sees
 * a flow-control error, never holds more unconsumed messages than it advertised, and once the
 * application has consumed everything every stream can send again.
 */
class FlowControlPropertyTest {

  @Provide
  Arbitrary<StreamSettings> receiverSettings() {
    return Combinators.combine(Arbitraries.integers().between(32, 80), Arbitraries.integers().between(256, 400))
        .as((stream, connection) -> new StreamSettings(stream, connection, 100, 1 << 20));
  }

  @Property(tries = 300)
  void sendingWithinCreditNeverOverrunsTheReceiver(
      @ForAll Role role,
      @ForAll("receiverSettings") StreamSettings receiver,
      @ForAll @IntRange(min = 1, max = 8) int streamCount,
      @ForAll @IntRange(min = 0, max = 1500) int steps,
      @ForAll long seed) {
    Connection c = Connection.established(role, StreamSettings.DEFAULTS, receiver);
    List<Integer> ids = new ArrayList<>();
    int[] unconsumed = new int[streamCount];
    for (int i = 0; i < streamCount; i++) {
      ids.add(c.localOpens());
      unconsumed[i]++;
    }

    Random random = new Random(seed);
    // Each run favours sending, consuming or returning credit; in some the application consumes
    // nothing, so that windows fill up to the last message.
    int[] weights = {1 + random.nextInt(6), random.nextInt(6), 1 + random.nextInt(2)};
    for (int step = 0; step < steps; step++) {
      int stream = random.nextInt(streamCount);
      int id = ids.get(stream);
      int roll = random.nextInt(weights[0] + weights[1] + weights[2]);
      switch (roll < weights[0] ? 0 : roll < weights[0] + weights[1] ? 1 : 2) {
        case 0 -> {
          if (c.local.sendCredit(id) > 0) {
            assertThat(c.localSends(message(id, false))).isEqualTo(new Inbound.Message(message(id, false), false));
            unconsumed[stream]++;
          }
        }
        case 1 -> {
          if (unconsumed[stream] > 0) {
            c.peer.consumed(id);
            unconsumed[stream]--;
          }
        }
        default -> c.peerReturnsCredit();
      }
      int total = 0;
      for (int i = 0; i < streamCount; i++) {
        assertThat(unconsumed[i]).isLessThanOrEqualTo(receiver.initialStreamWindow());
        total += unconsumed[i];
      }
      assertThat(total).isLessThanOrEqualTo(receiver.initialConnectionWindow());
    }

    for (int stream = 0; stream < streamCount; stream++) {
      for (; unconsumed[stream] > 0; unconsumed[stream]--) {
        c.peer.consumed(ids.get(stream));
      }
    }
    c.peerReturnsCredit();
    for (int id : ids) {
      assertThat(c.local.sendCredit(id)).as("credit of stream %d once all is consumed", id).isPositive();
    }
  }
}
