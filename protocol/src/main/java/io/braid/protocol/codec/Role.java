package io.braid.protocol.codec;

/**
 * Which end of the connection a codec works for. It decides masking (RFC 6455 §5.1): a client
 * masks every frame it sends, a server masks none, and each side rejects the other's mistake.
 */
public enum Role {
  SERVER,
  CLIENT;

  /** Whether frames received in this role must be masked. */
  public boolean expectsMaskedInput() {
    return this == SERVER;
  }
}
