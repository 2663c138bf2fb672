package io.braid.server.braid;

import io.braid.protocol.message.RecoveryReport;
import io.braid.protocol.message.SubscribeStart;
import io.braid.protocol.message.TopicPosition;
import io.braid.pubsub.history.Recovery;
import io.braid.pubsub.history.StartFrom;
import io.braid.pubsub.message.HistoryPosition;

/** Between the wire's history fields and the broker's: positions, starts and recovery reports. Stateless. */
final class HistoryMapping {
  private HistoryMapping() {}

  static TopicPosition toWire(HistoryPosition position) {
    return position == null ? null : new TopicPosition(position.epoch(), position.offset());
  }

  static StartFrom toStartFrom(SubscribeStart start) {
    if (start instanceof SubscribeStart.After after) {
      return new StartFrom.After(after.position().epoch(), after.position().offset());
    } else if (start instanceof SubscribeStart.Last last) {
      return new StartFrom.Last(last.count());
    } else if (start instanceof SubscribeStart.Since since) {
      return new StartFrom.Since(since.epochMillis());
    }
    return StartFrom.NOW;
  }

  static RecoveryReport toWire(Recovery recovery) {
    if (recovery == null) {
      return null;
    }
    RecoveryReport.Status status = RecoveryReport.Status.valueOf(recovery.status().name());
    RecoveryReport.GapReason reason = recovery.reason() == null ? null
        : RecoveryReport.GapReason.valueOf(recovery.reason().name());
    long from = status == RecoveryReport.Status.GAP ? recovery.gapFrom() : 0;
    long to = status == RecoveryReport.Status.GAP ? recovery.gapTo() : 0;
    return new RecoveryReport(status, from, to, reason, toWire(recovery.latest()));
  }
}
