package io.braid.pubsub.message;

/**
 * The broker's notion of time: wall-clock milliseconds, so that message and session expiry survive a restart.
 * Tests substitute a manual clock.
 */
@FunctionalInterface
public interface BrokerClock {

  /** The system clock. */
  BrokerClock SYSTEM = System::currentTimeMillis;

  long nowMillis();
}
