package io.braid.server.mqtt;

import io.braid.protocol.codec.ReasonText;
import io.braid.protocol.mqtt.MqttEncoder;
import io.braid.protocol.mqtt.MqttPacket;
import io.braid.protocol.mqtt.MqttProperties;
import io.braid.protocol.mqtt.MqttProperty;
import io.braid.protocol.mqtt.MqttVersion;
import io.braid.server.metrics.BrokerMetrics;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.Executor;

/**
 * What one MQTT connection sends: packets encoded in the client's version, within the Maximum Packet Size it asked
 * for (§3.1.2.11.4), reason strings only where the client wants them (Request Problem Information, §3.1.2.11.7).
 *
 * <p>Packets written in one turn of the event loop go out in one write, at the end of the turn (or as soon as
 * {@link #BATCH_BYTES} are waiting): a fan-out or a burst of acknowledgements costs one system call, not one per
 * packet, and a lone packet waits only for the rest of the turn. Confined to the connection's event loop.
 */
final class MqttOutput {

  /** Bytes that are written at once rather than at the end of the turn, so the socket's backpressure stays exact. */
  static final int BATCH_BYTES = 64 * 1024;

  private final MqttTransport transport;
  private final BrokerMetrics metrics;
  private final Executor endOfTurn;
  private final Runnable flush = this::flush;
  private Buffer pending;
  /** Whether {@link #pending} is a batch of this output's own, or one packet's encoding (not to be appended to). */
  private boolean pendingIsBatch;
  private boolean flushScheduled;
  private MqttVersion version = MqttVersion.V5;
  private boolean problemInformation = true;
  private long maxPacketSize = Long.MAX_VALUE;

  /** @param endOfTurn runs a task on the connection's event loop after the current one (the batch's flush) */
  MqttOutput(MqttTransport transport, BrokerMetrics metrics, Executor endOfTurn) {
    this.transport = transport;
    this.metrics = metrics;
    this.endOfTurn = endOfTurn;
  }

  /** The client's CONNECT is known: its version, and in MQTT 5 its limits. */
  void client(MqttVersion version, boolean problemInformation, long maxPacketSize) {
    this.version = version;
    this.problemInformation = problemInformation;
    this.maxPacketSize = maxPacketSize;
  }

  MqttVersion version() {
    return version;
  }

  boolean v5() {
    return version == MqttVersion.V5;
  }

  /** Sends {@code packet}; one that an MQTT 5 client would find too large is sent without its properties. */
  void send(MqttPacket packet) {
    Buffer bytes = MqttEncoder.encode(packet, version);
    if (bytes.length() > maxPacketSize) {
      bytes = MqttEncoder.encode(withoutProperties(packet), version);
    }
    write(bytes);
  }

  /**
   * Sends a PUBLISH unless it is larger than the client's Maximum Packet Size: then it is not sent at all
   * [MQTT-3.1.2-25] and the result is false.
   */
  boolean sendPublish(MqttPacket.Publish publish) {
    Buffer bytes = MqttEncoder.encode(publish, version);
    if (bytes.length() > maxPacketSize) {
      return false;
    }
    write(bytes);
    return true;
  }

  /** The properties of an acknowledgement carrying {@code reason}: a reason string if the client wants one. */
  MqttProperties reasonOnAck(String reason) {
    return reason == null || !problemInformation || !v5() ? MqttProperties.NONE : reasonString(reason);
  }

  /** The properties of a CONNACK or DISCONNECT carrying {@code reason}, which any MQTT 5 client may get. */
  MqttProperties reason(String reason) {
    return reason == null || !v5() ? MqttProperties.NONE : reasonString(reason);
  }

  private static MqttProperties reasonString(String reason) {
    return MqttProperties.builder().put(MqttProperty.REASON_STRING, ReasonText.of(reason)).build();
  }

  private void write(Buffer bytes) {
    metrics.bytesSent(bytes.length());
    if (pending == null) {
      pending = bytes; // a lone packet goes out as encoded, without a copy
      pendingIsBatch = false;
    } else if (!pendingIsBatch) {
      pending = Buffer.buffer(Math.max(256, (pending.length() + bytes.length()) * 4)).appendBuffer(pending)
          .appendBuffer(bytes);
      pendingIsBatch = true;
    } else {
      pending.appendBuffer(bytes);
    }
    if (pending.length() >= BATCH_BYTES) {
      flush();
    } else if (!flushScheduled) {
      flushScheduled = true;
      endOfTurn.execute(flush);
    }
  }

  /** Writes what waits; called at the end of the turn, and before the connection closes. */
  void flush() {
    flushScheduled = false;
    Buffer batch = pending;
    if (batch != null) {
      pending = null;
      transport.write(batch);
    }
  }

  private static MqttPacket withoutProperties(MqttPacket packet) {
    if (packet instanceof MqttPacket.ConnAck c) {
      return new MqttPacket.ConnAck(c.sessionPresent(), c.reasonCode(), MqttProperties.NONE);
    } else if (packet instanceof MqttPacket.Ack a) {
      return new MqttPacket.Ack(a.type(), a.packetId(), a.reasonCode(), MqttProperties.NONE);
    } else if (packet instanceof MqttPacket.SubAck s) {
      return new MqttPacket.SubAck(s.packetId(), s.reasonCodes(), MqttProperties.NONE);
    } else if (packet instanceof MqttPacket.UnsubAck u) {
      return new MqttPacket.UnsubAck(u.packetId(), u.reasonCodes(), MqttProperties.NONE);
    } else if (packet instanceof MqttPacket.Disconnect d) {
      return new MqttPacket.Disconnect(d.reasonCode(), MqttProperties.NONE);
    }
    return packet;
  }
}
