package io.braid.server.mqtt;

/** What the parts of a connected MQTT connection ask of the connection itself. Confined to its event loop. */
interface MqttControl {

  /** Ends the connection for {@code reasonCode}: DISCONNECT with it (MQTT 5), then the close. */
  void disconnect(int reasonCode, String reason);

  /** Stops reading from the client until a matching {@link #releaseReading()}: one hold per reason. */
  void holdReading();

  /** Drops one {@link #holdReading()}; reading resumes when none is left. */
  void releaseReading();

  /** An acknowledgement owed to the client went out: a graceful shutdown may be able to finish now. */
  void answered();
}
