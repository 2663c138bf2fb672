package io.braid.protocol.mux;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.codec.Role;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.IntPredicate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Two multiplexers that keep the rules, talking at once with frames in flight both ways: streams
 * opened, ended and reset by either side while DATA and window updates cross on the wire. Whatever
 * the interleaving, neither side ever sees a stream or connection error (crossing frames are
 * ignored, never punished), and once everything is delivered and consumed both sides agree on the
 * state of every stream and every open stream can send.
 */
class HonestPeersPropertyTest {
  /** Below the number of resets a multiplexer remembers, so that no late frame is forgotten. */
  private static final int MAX_STREAMS = 40;


  /** One side: its multiplexer, the frames it sent that the other side has not received yet, its application. */
  private static final class Side {
    final String name;
    final Multiplexer mux;
    final ArrayDeque<StreamFrame> inFlight = new ArrayDeque<>();
    final Map<Integer, Integer> unconsumed = new HashMap<>();
    Side other;

    Side(String name, Multiplexer mux) {
      this.name = name;
      this.mux = mux;
    }

    void send(StreamFrame frame) {
      mux.sent(frame);
      inFlight.add(Connection.overTheWire(frame));
    }

    /** Delivers this side's oldest frame in flight to the other side. */
    void deliverOne() {
      StreamFrame frame = inFlight.poll();
      if (frame == null) {
        return;
      }
      Inbound result = other.mux.receive(frame);
      assertThat(result).as("%s received %s", other.name, Frames.describe(frame))
          .isInstanceOfAny(Inbound.Message.class, Inbound.CreditGranted.class, Inbound.StreamReset.class, Inbound.Ignored.class);
      if (result instanceof Inbound.Message message) {
        other.unconsumed.merge(message.frame().streamId(), 1, Integer::sum);
      }
    }

    void consumeOne(int pick) {
      List<Integer> ids = new ArrayList<>(unconsumed.keySet());
      if (ids.isEmpty()) {
        return;
      }
      int id = ids.get(pick % ids.size());
      mux.consumed(id);
      unconsumed.computeIfPresent(id, (k, n) -> n == 1 ? null : n - 1);
    }

    void returnCredit() {
      mux.drainOutbound(this::send);
    }
  }

  @Property(tries = 300)
  void crossingFramesNeverCauseAnErrorAndBothSidesEndInAgreement(
      @ForAll Role role,
      @ForAll @IntRange(min = 0, max = 4) int streamLimit,
      @ForAll @IntRange(min = 1, max = MAX_STREAMS) int streamBudget,
      @ForAll @IntRange(min = 200, max = 2000) int steps,
      @ForAll long seed) {
    StreamSettings settings = new StreamSettings(32, 256, streamLimit == 0 ? 100 : streamLimit, 1 << 20);
    Connection c = Connection.established(role, settings, settings);
    Side local = new Side("local", c.local);
    Side peer = new Side("peer", c.peer);
    local.other = peer;
    peer.other = local;
    Set<Integer> streams = new LinkedHashSet<>();
    // Ids allocated by openStream() whose first DATA is not sent yet: unknown to the other side.
    Set<Integer> unannounced = new HashSet<>();

    Random random = new Random(seed);
    for (int step = 0; step < steps; step++) {
      Side side = random.nextBoolean() ? local : peer;
      int pick = random.nextInt(1 << 20);
      int kind = random.nextInt(40);
      if (kind < 2) {
        if (streams.size() < streamBudget && side.mux.canOpenStream()) {
          int id = side.mux.openStream();
          streams.add(id);
          if (side.mux.sendCredit(id) > 0) {
            side.send(new StreamFrame.Data(id, pick % 5 == 0, Buffer.buffer("open " + id)));
          } else {
            unannounced.add(id); // no connection credit yet: its first DATA goes later
          }
        }
      } else if (kind < 16) {
        Integer id = pickStream(streams, pick, s -> side.mux.sendCredit(s) > 0);
        if (id != null) {
          side.send(new StreamFrame.Data(id, pick % 29 == 0, Buffer.buffer("data")));
          unannounced.remove(id);
        }
      } else if (kind < 17) {
        if (pick % 3 != 0) {
          continue; // resets are rarer than the rest, so that streams live long enough to need credit
        }
        Integer id = pickStream(streams, pick,
            s -> !unannounced.contains(s) && side.mux.state(s) != StreamState.CLOSED && side.mux.state(s) != StreamState.IDLE);
        if (id != null) {
          side.send(new StreamFrame.Reset(id, ErrorCode.CANCEL));
        }
      } else if (kind < 25) {
        side.consumeOne(pick);
      } else if (kind < 27) {
        side.returnCredit();
      } else {
        for (int i = pick % 4; i >= 0; i--) {
          side.deliverOne();
        }
      }
    }

    // Quiesce: deliver, consume and return credit, round after round, until nothing moves.
    for (int round = 0; round < 10; round++) {
      for (Side side : new Side[] {local, peer}) {
        while (!side.inFlight.isEmpty()) {
          side.deliverOne();
        }
      }
      for (Side side : new Side[] {local, peer}) {
        while (!side.unconsumed.isEmpty()) {
          side.consumeOne(0);
        }
        side.returnCredit();
      }
    }
    assertThat(local.inFlight).isEmpty();
    assertThat(peer.inFlight).isEmpty();

    int unannouncedOpen = 0;
    for (int id : unannounced) {
      Multiplexer owner = id % 2 == c.localStream(1) % 2 ? c.local : c.peer;
      StreamState state = owner.state(id);
      assertThat(state).as("stream %d allocated but never used", id).isIn(StreamState.OPEN, StreamState.CLOSED);
      if (state == StreamState.OPEN) {
        unannouncedOpen += owner == c.local ? 1 : -1;
      }
    }
    streams.removeAll(unannounced);
    for (int id : streams) {
      StreamState here = c.local.state(id);
      StreamState there = c.peer.state(id);
      assertThat(there).as("stream %d: %s here", id, here).isEqualTo(mirror(here));
      for (Side side : new Side[] {local, peer}) {
        StreamState state = side.mux.state(id);
        if (state == StreamState.OPEN || state == StreamState.HALF_CLOSED_REMOTE) {
          assertThat(side.mux.sendCredit(id)).as("%s credit on stream %d", side.name, id).isPositive();
        }
      }
    }
    assertThat(c.local.openStreams() - unannouncedOpen).isEqualTo(c.peer.openStreams());
  }

  private static StreamState mirror(StreamState state) {
    return switch (state) {
      case HALF_CLOSED_LOCAL -> StreamState.HALF_CLOSED_REMOTE;
      case HALF_CLOSED_REMOTE -> StreamState.HALF_CLOSED_LOCAL;
      default -> state;
    };
  }

  private static Integer pickStream(Set<Integer> streams, int pick, IntPredicate usable) {
    List<Integer> candidates = streams.stream().filter(usable::test).toList();
    return candidates.isEmpty() ? null : candidates.get(pick % candidates.size());
  }
}
