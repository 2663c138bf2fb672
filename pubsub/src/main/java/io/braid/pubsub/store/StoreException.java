package io.braid.pubsub.store;

/**
 * The store could not do what was asked: an I/O error (disk full, permissions), a corrupt or unreadable file, or a
 * store already closed after an earlier failure. The message says which, for the operator's log.
 */
public final class StoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
