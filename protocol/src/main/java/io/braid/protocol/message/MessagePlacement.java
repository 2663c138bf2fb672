package io.braid.protocol.message;

import io.braid.protocol.codec.Role;

/**
 * Which stream a message may travel on (docs/PROTOCOL.md, "Placement"). A pure function of the
 * sender's role, the stream id, the type of the message that opened the stream and the message's
 * own type; it returns the broken rule, or null when the placement is allowed.
 *
 * <ul>
 *   <li>Stream 0 (control): CONNECT (client), CONNACK (server), PING, PONG, DISCONNECT and AUTH
 *       (either side). Nothing else, and these nowhere else.
 *   <li>A client-initiated (odd) stream is opened by its first message, which is a SUBSCRIBE, a
 *       PUBLISH or a PUBREL from the client (a PUBREL: the client completes, on a new connection, a
 *       QoS 2 exchange whose PUBREC came on an earlier one):
 *       <ul>
 *         <li>a subscription stream (opened by SUBSCRIBE): the server sends SUBACK, UNSUBACK, its
 *             deliveries (PUBLISH) and PUBREL; the client sends UNSUBSCRIBE, PUBACK, PUBREC and
 *             PUBCOMP for those deliveries;
 *         <li>a publication stream (opened by PUBLISH or PUBREL): the client sends more PUBLISHes and
 *             PUBREL;
 *             the server sends PUBACK, PUBREC and PUBCOMP.
 *       </ul>
 *   <li>Server-initiated (even) streams carry no message in this version.
 * </ul>
 *
 * A violation is a protocol error (reason code 0x82). Ordering within a stream (SUBACK before the
 * first delivery, acks matching packet ids) is the session's business, not this check's.
 * Stateless and thread safe.
 */
public final class MessagePlacement {
  private MessagePlacement() {}

  /**
   * Whether {@code type} sent by {@code sender} may travel on stream {@code streamId}.
   *
   * @param opener the type of the first message that was sent on the stream, or null if this
   *     message is the first (it opens the stream); ignored on stream 0
   * @return null if allowed, else the broken rule, e.g. {@code "SUBSCRIBE must open a new
   *     client stream"}
   */
  public static String check(Role sender, int streamId, MessageType opener, MessageType type) {
    if (isControl(type)) {
      if (streamId != 0) {
        return type + " must travel on stream 0, not stream " + streamId;
      }
      if (type == MessageType.CONNECT && sender != Role.CLIENT) {
        return "only a client sends CONNECT";
      }
      if (type == MessageType.CONNACK && sender != Role.SERVER) {
        return "only a server sends CONNACK";
      }
      return null;
    }
    if (streamId == 0) {
      return type + " must not travel on stream 0";
    }
    if ((streamId & 1) == 0) {
      return type + " must not travel on server-initiated stream " + streamId;
    }
    if (opener == null) {
      if (type == MessageType.SUBSCRIBE || type == MessageType.PUBLISH || type == MessageType.PUBREL) {
        return sender == Role.CLIENT ? null : "only a client opens a stream, with SUBSCRIBE, PUBLISH or PUBREL";
      }
      return type + " must not open a stream: a client stream starts with SUBSCRIBE, PUBLISH or PUBREL";
    }
    if (type == MessageType.SUBSCRIBE) {
      return "SUBSCRIBE must open a new client stream";
    }
    if (opener == MessageType.SUBSCRIBE) {
      return subscriptionStream(sender, type);
    }
    if (opener == MessageType.PUBLISH || opener == MessageType.PUBREL) {
      return publicationStream(sender, type);
    }
    return "a client stream must have been opened by SUBSCRIBE, PUBLISH or PUBREL, not " + opener;
  }

  /** {@link #check(Role, int, MessageType, MessageType)} for a message at hand. */
  public static String check(Role sender, int streamId, MessageType opener, BraidMessage message) {
    return check(sender, streamId, opener, message.type());
  }

  /** Whether {@code type} belongs on the control stream, 0. */
  public static boolean isControl(MessageType type) {
    switch (type) {
      case CONNECT: case CONNACK: case PING: case PONG: case DISCONNECT: case AUTH:
        return true;
      default:
        return false;
    }
  }

  private static String subscriptionStream(Role sender, MessageType type) {
    switch (type) {
      case SUBACK: case UNSUBACK: case PUBLISH: case PUBREL:
        return sender == Role.SERVER ? null : "only the server sends " + type + " on a subscription stream";
      case UNSUBSCRIBE: case PUBACK: case PUBREC: case PUBCOMP:
        return sender == Role.CLIENT ? null : "only the client sends " + type + " on a subscription stream";
      default:
        return type + " must not travel on a subscription stream";
    }
  }

  private static String publicationStream(Role sender, MessageType type) {
    switch (type) {
      case PUBLISH: case PUBREL:
        return sender == Role.CLIENT ? null : "only the client sends " + type + " on a publication stream";
      case PUBACK: case PUBREC: case PUBCOMP:
        return sender == Role.SERVER ? null : "only the server sends " + type + " on a publication stream";
      default:
        return type + " must not travel on a publication stream";
    }
  }
}
