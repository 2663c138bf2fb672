package io.braid.protocol.endpoint;

import io.braid.protocol.mux.StreamFrame;
import io.netty.util.collection.IntObjectHashMap;
import java.util.ArrayDeque;

/**
 * Messages waiting for credit, per stream and in order: a message is sent only when its stream has credit and
 * nothing queued before it is left, so order within a stream holds. Confined to the endpoint's thread.
 */
final class Outbox {

  /**
   * One message waiting: its frame, and whether writing it consumes (returns the credit of) the peer's message it
   * answers.
   */
  record Pending(StreamFrame.Data frame, boolean consumes) {
  }

  private final IntObjectHashMap<ArrayDeque<Pending>> queues = new IntObjectHashMap<>();

  boolean isEmpty(int streamId) {
    return !queues.containsKey(streamId);
  }

  /** Whether a queued message ends the stream: nothing may follow it. */
  boolean endQueued(int streamId) {
    ArrayDeque<Pending> queue = queues.get(streamId);
    return queue != null && queue.peekLast().frame().endStream();
  }

  void add(Pending pending) {
    int streamId = pending.frame().streamId();
    ArrayDeque<Pending> queue = queues.get(streamId);
    if (queue == null) {
      queue = new ArrayDeque<>(4);
      queues.put(streamId, queue);
    }
    queue.addLast(pending);
  }

  /** The next message of {@code streamId}, removed; the stream must have one. */
  Pending poll(int streamId) {
    ArrayDeque<Pending> queue = queues.get(streamId);
    Pending next = queue.pollFirst();
    if (queue.isEmpty()) {
      queues.remove(streamId);
    }
    return next;
  }

  /** The streams with messages waiting, as a snapshot (the caller may change the queues while it walks it). */
  int[] streams() {
    int[] ids = new int[queues.size()];
    int i = 0;
    for (int id : queues.keySet()) {
      ids[i++] = id;
    }
    return ids;
  }

  /** Forgets the messages of a stream that closed; returns how many of them would have consumed a peer message. */
  int drop(int streamId) {
    ArrayDeque<Pending> queue = queues.remove(streamId);
    if (queue == null) {
      return 0;
    }
    int consuming = 0;
    for (Pending pending : queue) {
      if (pending.consumes()) {
        consuming++;
      }
    }
    return consuming;
  }
}
