package io.braid.protocol.message;

import java.util.List;

/**
 * The four answers in the QoS 1 and 2 flows of a {@link Publish} (MQTT 5 §4.3): {@link PubAck} (QoS
 * 1), {@link PubRec}, {@link PubRel}, {@link PubComp} (QoS 2). They travel on the stream of the
 * PUBLISH they answer and carry its packet id.
 */
public sealed interface PublishAck extends BraidMessage permits PubAck, PubRec, PubRel, PubComp {
  /** The packet id of the PUBLISH, 1..65535. */
  int packetId();

  /** 0x00 or an error code allowed for the type. */
  int reasonCode();

  /** A human readable reason, or null. */
  String reasonString();

  /** User properties, in order. */
  List<UserProperty> userProperties();
}
