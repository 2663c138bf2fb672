package io.braid.pubsub.broker;

/**
 * A client's session is held by another node that cannot hand it over now (it does not answer, or it has just left
 * and its replica is being taken over): the client should connect again shortly.
 */
public final class SessionUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SessionUnavailableException(String message) {
    super(message, null, false, false);
  }
}
