package io.braid.server.mqtt;

import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.mqtt.MqttPacket;
import io.braid.protocol.mqtt.MqttPacketType;
import io.braid.protocol.mqtt.MqttProperties;
import io.braid.protocol.mqtt.MqttProperty;
import io.braid.pubsub.broker.AckReason;
import io.braid.pubsub.broker.SessionHandle;
import io.braid.server.frontend.AckQueue;
import io.braid.server.frontend.ConnectedClient;
import io.braid.server.frontend.PublishGate;
import io.netty.util.collection.IntObjectHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The publishes of one connected MQTT client (§3.3-3.7, §4.3, §4.9): topic aliases resolved, the
 * {@link PublishGate}'s checks, the core's outcome, and PUBACK and PUBREC sent in the order the publishes arrived
 * ({@link AckQueue}), PUBCOMP once a release is durable. Flow control: an MQTT 5 client past the Receive Maximum of
 * its CONNACK is disconnected with 0x93 (§4.9); an MQTT 3.1.1 client, which has no such limit, is not read from
 * while that many acknowledgements are still owed. Confined to the connection's event loop; outcomes the core
 * completes elsewhere come back through {@code loop}.
 */
final class MqttInbound {

  /** Runs a task on the connection's event loop after a delay. */
  interface Timers {
    void schedule(long delayMillis, Runnable task);
  }

  private final MqttOutput output;
  private final ConnectedClient client;
  private final SessionHandle session;
  private final PublishGate gate;
  private final MqttControl control;
  private final Executor loop;
  private final Timers timers;
  private final int receiveMaximum;
  private final String[] aliases;
  private final AckQueue acks = new AckQueue();
  /** QoS 2 publishes of this connection from PUBLISH to PUBCOMP (or a failed PUBREC): counted by Receive Maximum. */
  private final IntObjectHashMap<Boolean> qos2Open = new IntObjectHashMap<>();
  /** PUBRELs whose PUBCOMP is not sent yet. */
  private int releasing;
  private boolean readingHeld;
  private boolean open = true;

  MqttInbound(MqttOutput output, ConnectedClient client, PublishGate gate, MqttControl control, Executor loop,
      Timers timers, int receiveMaximum, int topicAliasMaximum) {
    this.output = output;
    this.client = client;
    this.session = client.session();
    this.gate = gate;
    this.control = control;
    this.loop = loop;
    this.timers = timers;
    this.receiveMaximum = receiveMaximum;
    this.aliases = new String[topicAliasMaximum + 1];
  }

  void onPublish(MqttPacket.Publish publish) {
    String topic = topicOf(publish);
    if (topic == null) {
      return; // the connection is ending
    }
    int qos = publish.qos();
    if (qos > 0 && !admit(publish)) {
      return;
    }
    PublishGate.Verdict verdict = gate.check(topic, qos, isUtf8(publish.properties()), publish.payload());
    if (verdict instanceof PublishGate.Accept accepted) {
      publish(publish, accepted);
    } else if (verdict instanceof PublishGate.Refuse refused) {
      refuse(publish, refused.reasonCode(), refused.reason());
    } else if (verdict instanceof PublishGate.Disconnect disconnect) {
      control.disconnect(disconnect.reasonCode(), disconnect.reason());
    }
    // PublishGate.Drop: a QoS 0 publish the ACL denies goes nowhere, counted by the gate
  }

  /** The topic a PUBLISH names, directly or by its alias (§3.3.2.3.4); null after a violation ended the connection. */
  private String topicOf(MqttPacket.Publish publish) {
    Integer alias = publish.properties().integer(MqttProperty.TOPIC_ALIAS);
    String topic = publish.topic();
    if (alias == null) {
      if (topic.isEmpty()) {
        control.disconnect(ReasonCode.PROTOCOL_ERROR, "a PUBLISH with an empty topic name and no topic alias");
        return null;
      }
      return topic;
    }
    if (alias >= aliases.length) {
      control.disconnect(ReasonCode.TOPIC_ALIAS_INVALID, "topic alias " + alias + " is above the Topic Alias "
          + "Maximum of " + (aliases.length - 1) + " [MQTT-3.3.2-9]");
      return null;
    }
    if (topic.isEmpty()) {
      String known = aliases[alias];
      if (known == null) {
        control.disconnect(ReasonCode.PROTOCOL_ERROR, "topic alias " + alias + " was never set on this connection");
      }
      return known;
    }
    aliases[alias] = topic;
    return topic;
  }

  /** Counts a QoS 1/2 publish against the Receive Maximum; false if it broke it (the connection is ending). */
  private boolean admit(MqttPacket.Publish publish) {
    if (output.v5()) {
      boolean retransmission = publish.qos() == 2 && qos2Open.containsKey(publish.packetId());
      if (!retransmission && acks.size() + qos2Open.size() >= receiveMaximum) {
        control.disconnect(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, "more than " + receiveMaximum
            + " QoS 1 and 2 publishes unacknowledged [MQTT-3.3.4-9]");
        return false;
      }
    } else if (acks.size() + 1 >= receiveMaximum && !readingHeld) {
      readingHeld = true; // MQTT 3.1.1: no limit to break, so the client is slowed down instead
      control.holdReading();
    }
    if (publish.qos() == 2) {
      qos2Open.put(publish.packetId(), Boolean.TRUE);
    }
    return true;
  }

  private void publish(MqttPacket.Publish publish, PublishGate.Accept accepted) {
    CompletableFuture<AckReason> outcome = session.publish(MqttMapping.toMessage(client.clientId(), accepted.topic(),
        publish, gate.senderOf(accepted.topic())), publish.packetId());
    if (publish.qos() == 0) {
      slowDown(outcome, accepted.creditDelayNanos());
      return;
    }
    AckQueue.Pending pending = acks.add(publish.qos(), publish.packetId());
    outcome.whenComplete((reason, failure) -> loop.execute(() -> {
      if (failure != null) {
        pending.silence(); // not published (the session was taken over): the client must not think it was
      } else {
        pending.decide(reason.code(), reason.isFailure() ? "the message could not be stored" : null);
      }
      acknowledge();
    }));
  }

  /**
   * A QoS 0 publish over the rate, or one the store must catch up with first: the client is not read from until
   * then, which is how MQTT slows a publisher that has nothing to wait for.
   */
  private void slowDown(CompletableFuture<AckReason> outcome, long delayNanos) {
    long delayMillis = (delayNanos + 999_999) / 1_000_000;
    if (delayMillis == 0 && outcome.isDone()) {
      return;
    }
    control.holdReading();
    Runnable release = delayMillis == 0 ? control::releaseReading
        : () -> timers.schedule(delayMillis, control::releaseReading);
    if (outcome.isDone()) {
      release.run();
    } else {
      outcome.whenComplete((reason, failure) -> loop.execute(release));
    }
  }

  /**
   * A QoS 1/2 publish the gate refused: MQTT 5 says why in its acknowledgement; MQTT 3.1.1 has no way to, so a
   * publish that is not authorized or over a quota is acknowledged and dropped (§3.3.5), and any other ends the
   * connection.
   */
  private void refuse(MqttPacket.Publish publish, int reasonCode, String reason) {
    int code = reasonCode;
    if (!output.v5()) {
      if (reasonCode != ReasonCode.NOT_AUTHORIZED && reasonCode != ReasonCode.QUOTA_EXCEEDED) {
        control.disconnect(reasonCode, reason);
        return;
      }
      code = ReasonCode.SUCCESS;
    }
    acks.add(publish.qos(), publish.packetId()).decide(code, reason);
    acknowledge();
  }

  /** PUBREL: PUBCOMP once the release is durable (§4.3.3). */
  void onPubRel(MqttPacket.Ack rel) {
    int packetId = rel.packetId();
    releasing++;
    session.release(packetId).whenComplete((reason, failure) -> loop.execute(() -> {
      releasing--;
      qos2Open.remove(packetId);
      if (!open) {
        return;
      }
      int code = failure != null ? ReasonCode.UNSPECIFIED_ERROR : reason.code();
      output.send(new MqttPacket.Ack(MqttPacketType.PUBCOMP, packetId, output.v5() ? code : 0,
          output.reasonOnAck(ReasonCode.isError(code) ? ReasonCode.name(code) : null)));
      control.answered();
    }));
  }

  /** Sends the decided acknowledgements, in the order their publishes came. */
  private void acknowledge() {
    acks.release(pending -> {
      if (!open || pending.silent()) {
        return;
      }
      int code = pending.reasonCode();
      if (pending.qos() == 2 && ReasonCode.isError(code)) {
        qos2Open.remove(pending.packetId()); // a failed PUBREC ends the exchange
      }
      if (!output.v5()) {
        if (ReasonCode.isError(code)) {
          control.disconnect(code, pending.reason()); // MQTT 3.1.1 cannot refuse: the client will send it again
          return;
        }
        code = 0;
      }
      MqttPacketType type = pending.qos() == 1 ? MqttPacketType.PUBACK : MqttPacketType.PUBREC;
      output.send(new MqttPacket.Ack(type, pending.packetId(), code, output.reasonOnAck(pending.reason())));
    });
    if (readingHeld && acks.size() < Math.max(1, receiveMaximum / 2)) {
      readingHeld = false;
      control.releaseReading();
    }
    control.answered();
  }

  /** Whether acknowledgements are still owed: a graceful shutdown waits for them. */
  boolean owesAcknowledgements() {
    return !acks.isEmpty() || releasing > 0;
  }

  /** The connection is closing: nothing more is answered. */
  void close() {
    open = false;
  }

  private static boolean isUtf8(MqttProperties properties) {
    Integer indicator = properties.integer(MqttProperty.PAYLOAD_FORMAT_INDICATOR);
    return indicator != null && indicator == 1;
  }
}
