package io.braid.protocol.mux;

import java.util.Arrays;

/** A first-in first-out queue of ints without boxing, growing as needed. Not thread safe. */
final class IntArrayQueue {
  private int[] items = new int[8];
  private int head;
  private int size;

  void add(int value) {
    if (size == items.length) {
      int[] grown = new int[items.length * 2];
      for (int i = 0; i < size; i++) {
        grown[i] = items[(head + i) % items.length];
      }
      items = grown;
      head = 0;
    }
    items[(head + size) % items.length] = value;
    size++;
  }

  /** Removes and returns the oldest value; the queue must not be empty. */
  int poll() {
    if (size == 0) {
      throw new IllegalStateException("empty");
    }
    int value = items[head];
    head = (head + 1) % items.length;
    size--;
    return value;
  }

  boolean isEmpty() {
    return size == 0;
  }

  @Override
  public String toString() {
    int[] copy = new int[size];
    for (int i = 0; i < size; i++) {
      copy[i] = items[(head + i) % items.length];
    }
    return Arrays.toString(copy);
  }
}
