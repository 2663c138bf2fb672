package io.braid.server.broker;

import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.MessageType;
import io.braid.pubsub.topic.TopicFilter;
import java.util.ArrayDeque;

/**
 * What a broker connection knows of each client stream besides the stream layer's state: what opened it and what
 * the server still owes on it. Confined to the connection's event loop.
 */
final class BrokerStreams {

  private BrokerStreams() {
  }

  /** One client stream: a subscription's or a publication's. */
  abstract static sealed class ClientStream permits SubscriptionStream, PublicationStream {
    final int id;
    /** Answers waiting for stream credit, with whether each ends the stream; sent before anything else. */
    final ArrayDeque<Answer> answers = new ArrayDeque<>();
    /** The client sent END_STREAM: it sends nothing more here. */
    boolean clientEnded;
    /** The server sent END_STREAM or RESET: it sends nothing more here. */
    boolean serverEnded;

    ClientStream(int id) {
      this.id = id;
    }

    abstract MessageType opener();
  }

  /** A subscription's stream: its SUBACK, deliveries, PUBREL and UNSUBACK go out here; acks come in. */
  static final class SubscriptionStream extends ClientStream {
    /** The subscription's filter once SUBACK granted it; null while refused or not yet granted. */
    TopicFilter filter;

    SubscriptionStream(int id) {
      super(id);
    }

    @Override
    MessageType opener() {
      return MessageType.SUBSCRIBE;
    }
  }

  /** A publication stream: PUBLISH and PUBREL come in; PUBACK, PUBREC and PUBCOMP go out, in order. */
  static final class PublicationStream extends ClientStream {
    /**
     * The QoS 1/2 publishes not yet answered, in arrival order: an acknowledgement is sent only once every one
     * before it was, whatever order their outcomes come in (a publish without a durable subscriber is decided at
     * once, one with one waits for the store).
     */
    final ArrayDeque<PendingAck> pending = new ArrayDeque<>();
    /** Answers owed: QoS 1/2 publishes not yet acknowledged (PUBACK or PUBREC sent). */
    int owed;

    PublicationStream(int id) {
      super(id);
    }

    @Override
    MessageType opener() {
      return MessageType.PUBLISH;
    }
  }

  /**
   * A message the server owes on a stream, whether it ends the server's side, and whether the credit of the client
   * message it answers is returned when it is sent (acknowledgements of publishes and PUBRELs: PROTOCOL.md 8.4).
   */
  record Answer(BraidMessage message, boolean endStream, boolean returnsCredit) {
  }

  /** The acknowledgement of one QoS 1/2 publish, once its outcome is known. */
  static final class PendingAck {
    final int qos;
    final int packetId;
    /** The reason code, or -1 while undecided. */
    int reasonCode = -1;
    String reason;
    /** The publish was not taken (the session was taken over): nothing is to be sent for it. */
    boolean silent;

    PendingAck(int qos, int packetId) {
      this.qos = qos;
      this.packetId = packetId;
    }

    boolean decided() {
      return reasonCode >= 0 || silent;
    }
  }
}
