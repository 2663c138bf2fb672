package io.braid.bench.load;

import io.braid.protocol.mqtt.MqttDecoder;
import io.braid.protocol.mqtt.MqttEncoder;
import io.braid.protocol.mqtt.MqttPacket;
import io.braid.protocol.mqtt.MqttPacketType;
import io.braid.protocol.mqtt.MqttProperties;
import io.braid.protocol.mqtt.MqttVersion;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.function.Consumer;

/**
 * One MQTT 3.1.1 client of the load tool over a Vert.x {@link NetClient}, with the protocol module's MQTT codec: the
 * same client against Braid's MQTT listener and against Mosquitto. It acknowledges every QoS 1 delivery at once and
 * publishes as far as the caller's window and its socket allow; QoS 1 publishes it has not seen acknowledged are kept
 * within {@link #MAX_IN_FLIGHT}.
 *
 * <p>Confined to its connection's event loop: call it on {@link #context()}.
 */
final class MqttLoadClient implements LoadClient {

  /** QoS 1 publishes this client leaves unacknowledged at most (Braid's default Receive Maximum is 1,024). */
  static final int MAX_IN_FLIGHT = 1_000;
  private static final MqttVersion VERSION = MqttVersion.V3_1_1;

  private final NetSocket socket;
  private final Context context;
  private final MqttDecoder decoder = MqttDecoder.forClient(VERSION, 1 << 20);
  private Promise<Void> connected;
  private Promise<Void> subscribed;
  private Consumer<Buffer> onDelivery = payload -> { };
  private Runnable onCredit = () -> { };
  private Runnable onAcknowledged = () -> { };
  private int nextPacketId;
  private int inFlight;
  /** Packets written in this turn of the event loop, sent together at its end (as Braid's own clients batch). */
  private Buffer pending;

  private MqttLoadClient(NetSocket socket, Context context) {
    this.socket = socket;
    this.context = context;
  }

  /**
   * Connects with clean session unless {@code persistent} (then the session outlives the connection, as MQTT 3.1.1
   * sessions do), on {@code context}'s event loop. Completes on CONNACK, on that loop.
   */
  static Future<LoadClient> connect(Context context, NetClient net, String host, int port, String clientId,
      boolean persistent) {
    Promise<LoadClient> result = Promise.promise();
    context.runOnContext(start -> net.connect(port, host).compose(socket -> {
      MqttLoadClient client = new MqttLoadClient(socket, Vertx.currentContext());
      client.connected = Promise.promise();
      socket.handler(client::onBytes);
      socket.drainHandler(v -> client.onCredit.run());
      client.send(new MqttPacket.Connect(VERSION, clientId, !persistent, 600, null, null, null, MqttProperties.NONE));
      return client.connected.future().map(v -> (LoadClient) client);
    }).onComplete(result));
    return result.future();
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public Future<Void> subscribe(String filter, int qos, Consumer<Buffer> payloads) {
    onDelivery = payloads;
    subscribed = Promise.promise();
    send(new MqttPacket.Subscribe(packetId(), List.of(MqttPacket.Subscription.of(filter, qos)), MqttProperties.NONE));
    return subscribed.future();
  }

  @Override
  public void onFlow(Runnable credit, Runnable acknowledged) {
    this.onCredit = credit;
    this.onAcknowledged = acknowledged;
  }

  @Override
  public boolean canPublish() {
    return !socket.writeQueueFull() && inFlight < MAX_IN_FLIGHT && (pending == null || pending.length() < 65_536);
  }

  @Override
  public void publish(String topic, Buffer payload, int qos) {
    int id = 0;
    if (qos > 0) {
      id = packetId();
      inFlight++;
    }
    send(new MqttPacket.Publish(topic, qos, false, false, id, payload, MqttProperties.NONE));
  }

  @Override
  public Future<Void> close() {
    send(new MqttPacket.Disconnect(0, MqttProperties.NONE));
    flush();
    return socket.close();
  }

  private void onBytes(Buffer bytes) {
    decoder.decode(bytes, this::onPacket);
  }

  private void onPacket(MqttPacket packet) {
    if (packet instanceof MqttPacket.Publish publish) {
      onDelivery.accept(publish.payload());
      if (publish.qos() == 1) {
        send(new MqttPacket.Ack(MqttPacketType.PUBACK, publish.packetId(), 0, MqttProperties.NONE));
      } else if (publish.qos() == 2) {
        send(new MqttPacket.Ack(MqttPacketType.PUBREC, publish.packetId(), 0, MqttProperties.NONE));
      }
    } else if (packet instanceof MqttPacket.Ack ack) {
      switch (ack.type()) {
        case PUBACK -> {
          inFlight--;
          onAcknowledged.run();
        }
        case PUBREL -> send(new MqttPacket.Ack(MqttPacketType.PUBCOMP, ack.packetId(), 0, MqttProperties.NONE));
        default -> { }
      }
    } else if (packet instanceof MqttPacket.ConnAck connAck) {
      if (connAck.reasonCode() == 0) {
        connected.complete();
      } else {
        connected.fail("CONNACK return code " + connAck.reasonCode());
      }
    } else if (packet instanceof MqttPacket.SubAck subAck) {
      if (subAck.reasonCodes().get(0) < 0x80) {
        subscribed.complete();
      } else {
        subscribed.fail("SUBACK " + subAck.reasonCodes());
      }
    }
  }

  private int packetId() {
    nextPacketId = nextPacketId % 65_535 + 1;
    return nextPacketId;
  }

  private void send(MqttPacket packet) {
    Buffer bytes = MqttEncoder.encode(packet, VERSION);
    if (pending == null) {
      pending = Buffer.buffer(4_096);
      context.runOnContext(v -> flush());
    }
    pending.appendBuffer(bytes);
  }

  private void flush() {
    Buffer batch = pending;
    pending = null;
    socket.write(batch);
    if (socket.writeQueueFull()) {
      return; // the drain handler resumes the publisher
    }
    onCredit.run(); // a publisher that stopped at the batch's size goes on
  }
}
