package io.braid.server.braid;

/**
 * What the parts of a Braid connection may ask of the connection itself: to end it. They are built at CONNACK and
 * never call up into the connection otherwise. Confined to the connection's thread.
 */
interface ConnectionControl {

  /** Ends the connection: DISCONNECT with {@code reasonCode} (if connected), then WebSocket close {@code closeCode}. */
  void disconnect(int reasonCode, String reason, int closeCode);

  /** A reason string for the client, or null if it asked for none (CONNECT {@code requestProblemInformation}). */
  String reasonString(String reason);

  /** Publication answers went out: a graceful shutdown waiting for them may be able to finish. */
  void answered();
}
