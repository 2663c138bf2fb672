package io.braid.pubsub.broker;

import io.braid.pubsub.store.SessionState;
import java.util.concurrent.CompletableFuture;

/**
 * Where a session that this broker does not hold may be held instead: another node of a cluster. Asked when a client
 * connects whose session is not here.
 *
 * <p><b>Threading:</b> called on the connecting client's thread; must not block.
 */
@FunctionalInterface
public interface SessionSource {

  /**
   * Takes the session of {@code clientId} from where it is held, ending it there (its connection closed as taken
   * over). Completes with its state for the broker to adopt, or with null if there is none to adopt: it is held
   * nowhere else, or the source put it into the broker itself ({@link Broker#adopt}); fails with
   * {@link SessionUnavailableException} if it is held elsewhere but cannot be taken now.
   */
  CompletableFuture<SessionState> take(String clientId);
}
