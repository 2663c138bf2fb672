package io.braid.protocol.message;

/**
 * One Braid pub/sub message: the payload of exactly one DATA frame of the stream layer. The records
 * follow MQTT 5.0 where MQTT has the field; {@code docs/PROTOCOL.md} (section "Messages") gives
 * their bytes ({@link BinaryMessageCodec}) and their JSON ({@link JsonMessageCodec}).
 *
 * <p>Conventions shared by every record:
 *
 * <ul>
 *   <li>An absent optional object (string, {@code Buffer}, {@link ConnectWill}) is {@code null}.
 *   <li>An absent optional number is {@link #ABSENT} ({@code -1}); present numbers are never
 *       negative. Numbers with an MQTT default (e.g. {@link ConnAck#maximumQos()}, 2) are never
 *       absent: the record holds the effective value.
 *   <li>Lists are never null (empty when there is none) and immutable.
 *   <li>{@code Buffer} fields are held as given, not copied: a decoded payload is a slice of the
 *       received bytes. Do not modify a Buffer after handing it to a record. Vert.x buffers compare
 *       by content, so records compare by content too.
 *   <li>Compact constructors check every invariant the wire format can express (QoS 0..2, packet
 *       id 1..65535 exactly when QoS &gt; 0, reason code allowed for the message, ...) and throw
 *       {@link IllegalArgumentException} naming the field. Strings are not checked for lone
 *       surrogates: the encoders refuse them.
 * </ul>
 *
 * Records are immutable and may be shared between threads (as long as nobody writes to their
 * buffers).
 */
public sealed interface BraidMessage
    permits Connect, ConnAck, Subscribe, SubAck, Unsubscribe, UnsubAck, Publish, PublishAck, Ping,
        Pong, Disconnect, Auth {

  /** The value of an absent optional number. */
  int ABSENT = -1;

  /** Largest unsigned 32-bit value: intervals and sizes are 0..{@value}. */
  long MAX_U32 = 0xFFFF_FFFFL;

  /** Largest subscription identifier (MQTT 5 §3.8.2.1.2: a Variable Byte Integer of 1..{@value}). */
  int MAX_SUBSCRIPTION_IDENTIFIER = 268_435_455;

  /** Largest packet id. */
  int MAX_PACKET_ID = 65_535;

  /** The message's type. */
  MessageType type();
}
