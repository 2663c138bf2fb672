package io.braid.pubsub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.broker.BrokerFixture.Client;
import io.braid.pubsub.history.Recovery;
import io.braid.pubsub.history.StartFrom;
import io.braid.pubsub.message.HistoryPosition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A clean-session subscriber that comes and goes, resuming each time after the last offset it saw, while messages are
 * published, the history is trimmed by its size limit and the broker restarts, in every order jqwik finds: it never
 * gets an offset twice, and every offset it does not get was reported in a gap, exactly.
 */
class HistoryRecoveryPropertiesTest {

  enum Step { PUBLISH, LEAVE, RESUME, RESTART }

  @Provide
  Arbitrary<List<Step>> steps() {
    return Arbitraries.of(Step.class).list().ofMinSize(1).ofMaxSize(80);
  }

  @Property(tries = 300)
  void nothingTwiceAndEveryLossReported(@ForAll("steps") List<Step> steps) {
    BrokerFixture fixture = BrokerFixture.withHistory("h/#", 5);
    Reader reader = new Reader(fixture);
    reader.resume();
    long published = 0;
    for (Step step : steps) {
      switch (step) {
        case PUBLISH -> {
          fixture.connectClean("pub").publish("h/t", "m", 1);
          published++;
        }
        case LEAVE -> reader.leave();
        case RESUME -> reader.resume();
        case RESTART -> {
          reader.leave();
          fixture.restart();
        }
      }
    }
    reader.resume();
    reader.leave(); // takes what it was sent

    assertThat(reader.seen).doesNotHaveDuplicates();
    Set<Long> accounted = new HashSet<>(reader.seen);
    accounted.addAll(reader.reportedLost);
    for (long offset = 1; offset <= published; offset++) {
      assertThat(accounted).as("offset %d neither received nor reported lost", offset).contains(offset);
    }
    for (long offset : reader.seen) {
      assertThat(reader.reportedLost).as("offset %d received and reported lost", offset).doesNotContain(offset);
    }
  }

  /** The reader: connected or not; it remembers the last position it saw, as the SDK does. */
  private static final class Reader {
    final BrokerFixture fixture;
    final List<Long> seen = new ArrayList<>();
    final Set<Long> reportedLost = new HashSet<>();
    HistoryPosition last;
    Client client;
    int consumed;

    Reader(BrokerFixture fixture) {
      this.fixture = fixture;
    }

    void resume() {
      if (client != null) {
        return;
      }
      client = fixture.connectClean("reader");
      consumed = 0;
      StartFrom start = last == null ? new StartFrom.After("none", 0) : new StartFrom.After(last.epoch(),
          last.offset());
      Recovery recovery = client.subscribe("h/t", 1, start).recovery();
      if (recovery.status() == Recovery.Status.GAP && recovery.gapFrom() > 0) {
        for (long offset = recovery.gapFrom(); offset <= recovery.gapTo(); offset++) {
          reportedLost.add(offset);
        }
      }
    }

    void leave() {
      if (client == null) {
        return;
      }
      take();
      client.session().connectionLost();
      client = null;
    }

    private void take() {
      List<OutboundPublish> publishes = client.link().publishes;
      for (; consumed < publishes.size(); consumed++) {
        HistoryPosition position = publishes.get(consumed).message().position();
        seen.add(position.offset());
        last = position;
      }
    }
  }
}
