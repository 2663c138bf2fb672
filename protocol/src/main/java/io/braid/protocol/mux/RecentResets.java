package io.braid.protocol.mux;

/**
 * The last {@value #CAPACITY} streams this side reset, so that frames the peer sent before it saw the RESET are
 * dropped rather than answered as errors (RFC 9113 §5.4.2). A ring: the oldest entry gives way. Not thread safe.
 */
final class RecentResets {
  static final int CAPACITY = 64;

  private final int[] ids = new int[CAPACITY];
  private int next;
  private int count;

  void add(int id) {
    ids[next] = id;
    next = (next + 1) % CAPACITY;
    count = Math.min(count + 1, CAPACITY);
  }

  boolean contains(int id) {
    for (int i = 0; i < count; i++) {
      if (ids[i] == id) {
        return true;
      }
    }
    return false;
  }
}
