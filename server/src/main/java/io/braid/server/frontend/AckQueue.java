package io.braid.server.frontend;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The acknowledgements owed on one channel of publishes (a Braid publication stream, an MQTT connection), released
 * in the order the publishes arrived whatever order their outcomes come in (MQTT 5.0 §4.6): a publish with no durable
 * subscriber is decided at once, one queued for a persistent session when the store's commit completes. This is the
 * one owner of acknowledgement order; the pub/sub core completes each outcome on its own.
 *
 * <p>Confined to the connection's thread: outcomes decided elsewhere hop there before {@link Pending#decide}.
 */
public final class AckQueue {

  /** One publish awaiting its outcome. */
  public static final class Pending {
    private final int qos;
    private final int packetId;
    private int reasonCode = -1;
    private String reason;
    private boolean silent;

    private Pending(int qos, int packetId) {
      this.qos = qos;
      this.packetId = packetId;
    }

    public int qos() {
      return qos;
    }

    public int packetId() {
      return packetId;
    }

    /** The acknowledgement's reason code, once decided. */
    public int reasonCode() {
      return reasonCode;
    }

    /** A reason for a failure, or null. */
    public String reason() {
      return reason;
    }

    /**
     * True if nothing may be sent for it: the publish was not taken (the session was taken over meanwhile), so the
     * client must not believe it was.
     */
    public boolean silent() {
      return silent;
    }

    /** Its outcome is known: {@code reasonCode} (and a reason for a failure, or null). */
    public void decide(int reasonCode, String reason) {
      this.reasonCode = reasonCode;
      this.reason = reason;
    }

    /** It is not to be acknowledged at all. */
    public void silence() {
      this.silent = true;
    }

    boolean decided() {
      return reasonCode >= 0 || silent;
    }
  }

  private final ArrayDeque<Pending> pending = new ArrayDeque<>();

  /** A QoS 1/2 publish arrived: its acknowledgement goes after every one owed before it. */
  public Pending add(int qos, int packetId) {
    Pending entry = new Pending(qos, packetId);
    pending.addLast(entry);
    return entry;
  }

  /** Hands over the decided acknowledgements from the oldest, up to the first still undecided. */
  public void release(Consumer<Pending> sink) {
    while (!pending.isEmpty() && pending.peekFirst().decided()) {
      sink.accept(pending.pollFirst());
    }
  }

  /** Acknowledgements owed and not yet released. */
  public int size() {
    return pending.size();
  }

  public boolean isEmpty() {
    return pending.isEmpty();
  }
}
