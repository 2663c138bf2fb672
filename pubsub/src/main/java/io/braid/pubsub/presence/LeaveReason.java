package io.braid.pubsub.presence;

import java.util.Locale;

/** Why a member left a topic: its {@code "reason"} in the leave event. */
public enum LeaveReason {
  /** It unsubscribed (or closed the subscription's stream). */
  UNSUBSCRIBED,
  /** It disconnected normally (DISCONNECT). */
  DISCONNECTED,
  /** Its connection was lost: network error, keep-alive timeout, protocol error, or closed by the server. */
  LOST,
  /** Another connection with the same client identifier took its session over. */
  TAKEN_OVER;

  String jsonName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
