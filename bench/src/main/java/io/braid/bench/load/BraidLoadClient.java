package io.braid.bench.load;

import io.braid.protocol.message.BinaryMessageCodec;
import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.ConnAck;
import io.braid.protocol.message.Connect;
import io.braid.protocol.message.PubAck;
import io.braid.protocol.message.PubComp;
import io.braid.protocol.message.PubRec;
import io.braid.protocol.message.PubRel;
import io.braid.protocol.message.Publish;
import io.braid.protocol.message.SubAck;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.mux.BinaryFrameCodec;
import io.braid.protocol.mux.FrameBatcher;
import io.braid.protocol.mux.Inbound;
import io.braid.protocol.mux.Multiplexer;
import io.braid.protocol.mux.StreamFrame;
import io.braid.protocol.mux.StreamSettings;
import io.braid.protocol.ws.Role;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * One Braid client of the load tool, speaking {@code braid.v1} over Vert.x's own {@link WebSocketClient} (not
 * Braid's transport) with the protocol module's codecs and stream layer: it connects, subscribes, acknowledges every
 * delivery at once and grants credit as it consumes, and publishes from one publication stream as far as the
 * broker's credit and the caller's window allow.
 *
 * <p>Confined to its connection's event loop: call it on {@link #context()}.
 */
final class BraidLoadClient {

  /** Credit this client grants the broker: generous, so that the broker's delivery rate is what is measured. */
  static final StreamSettings SETTINGS = new StreamSettings(1_024, 16_384, 100, 1 << 20);

  private final WebSocket ws;
  private final Context context;
  private final Multiplexer mux = new Multiplexer(Role.CLIENT, SETTINGS);
  private final BinaryFrameCodec frames = new BinaryFrameCodec(SETTINGS.maxFramePayload());
  private final FrameBatcher batcher = new FrameBatcher(64 * 1024);
  private final Consumer<Buffer> write;
  private boolean flushScheduled;
  private Promise<ConnAck> connected;
  private Promise<Void> subscribed;
  private Consumer<Publish> onDelivery = publish -> { };
  private Runnable onCredit = () -> { };
  private Runnable onAcknowledged = () -> { };
  private int publicationStream;
  private int nextPacketId;
  private int unacknowledged;
  /** Acknowledgements waiting for the broker's credit on their stream, in order. */
  private final ArrayDeque<StreamFrame.Data> blocked = new ArrayDeque<>();

  private BraidLoadClient(WebSocket ws, Context context) {
    this.ws = ws;
    this.context = context;
    this.write = ws::writeBinaryMessage;
    ws.binaryMessageHandler(this::onMessage);
  }

  /** Opens a WebSocket to {@code path} on {@code port} and sends SETTINGS and CONNECT; completes on CONNACK. */
  static Future<BraidLoadClient> connect(Vertx vertx, WebSocketClient client, String host, int port, String path,
      Connect connect) {
    Context context = vertx.getOrCreateContext();
    Promise<BraidLoadClient> result = Promise.promise();
    context.runOnContext(v -> client.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI(path)
            .addSubProtocol(BinaryMessageCodec.SUBPROTOCOL))
        .onFailure(result::fail)
        .onSuccess(ws -> {
          BraidLoadClient braid = new BraidLoadClient(ws, Vertx.currentContext());
          braid.connected = Promise.promise();
          braid.send(braid.mux.settingsFrame());
          braid.send(data(0, connect));
          braid.connected.future().onComplete(connAck -> {
            if (connAck.succeeded() && connAck.result().reasonCode() == 0) {
              result.complete(braid);
            } else {
              result.fail(connAck.failed() ? connAck.cause().getMessage() : "CONNACK reason code 0x"
                  + Integer.toHexString(connAck.result().reasonCode()));
            }
          });
        }));
    return result.future();
  }

  Context context() {
    return context;
  }

  /** Subscribes to {@code filter}; every delivery goes to {@code deliveries}. Completes on SUBACK. */
  Future<Void> subscribe(String filter, int qos, Consumer<Publish> deliveries) {
    onDelivery = deliveries;
    subscribed = Promise.promise();
    int stream = mux.openStream();
    send(data(stream, Subscribe.of(filter, qos)));
    return subscribed.future();
  }

  /** What to run when the broker grants credit, and when a QoS 1/2 publish is acknowledged. */
  void onFlow(Runnable credit, Runnable acknowledged) {
    this.onCredit = credit;
    this.onAcknowledged = acknowledged;
  }

  /** Whether a publish can go out now (the broker's credit on the publication stream). */
  boolean canPublish() {
    return publicationStream == 0 ? mux.canOpenStream() : mux.sendCredit(publicationStream) > 0;
  }

  /** QoS 1/2 publishes not yet acknowledged. */
  int unacknowledged() {
    return unacknowledged;
  }

  void publish(String topic, Buffer payload, int qos) {
    if (publicationStream == 0) {
      publicationStream = mux.openStream();
    }
    int packetId = 0;
    if (qos > 0) {
      nextPacketId = nextPacketId % 65_535 + 1;
      packetId = nextPacketId;
      unacknowledged++;
    }
    send(data(publicationStream, Publish.of(topic, payload, qos, packetId)));
  }

  Future<Void> close() {
    return ws.close();
  }

  private void onMessage(Buffer message) {
    frames.decode(message, frame -> {
      Inbound inbound = mux.receive(frame);
      if (inbound instanceof Inbound.Message data) {
        onData(data.frame());
      } else if (inbound instanceof Inbound.CreditGranted) {
        flushBlocked();
        onCredit.run();
      } else if (inbound instanceof Inbound.ConnectionError error) {
        throw new IllegalStateException("broker broke the stream layer: " + error.reason());
      }
    });
    mux.drainOutbound(this::send);
  }

  private void onData(StreamFrame.Data data) {
    int stream = data.streamId();
    BraidMessage message = BinaryMessageCodec.INSTANCE.decode(data.payload());
    if (message instanceof Publish publish) {
      onDelivery.accept(publish);
      if (publish.qos() == 1) {
        answer(data(stream, PubAck.of(publish.packetId())));
      } else if (publish.qos() == 2) {
        answer(data(stream, PubRec.of(publish.packetId())));
      }
    } else if (message instanceof PubRel rel) {
      answer(data(stream, PubComp.of(rel.packetId())));
    } else if (message instanceof PubAck || message instanceof PubComp) {
      unacknowledged--;
      onAcknowledged.run();
    } else if (message instanceof PubRec rec) {
      answer(data(stream, PubRel.of(rec.packetId())));
    } else if (message instanceof ConnAck connAck) {
      connected.tryComplete(connAck);
    } else if (message instanceof SubAck subAck) {
      if (subAck.reasonCode() < 0x80) {
        subscribed.tryComplete();
      } else {
        subscribed.tryFail("SUBACK reason code 0x" + Integer.toHexString(subAck.reasonCode()));
      }
    }
    mux.consumed(stream);
  }

  /** Sends an acknowledgement now if the stream has credit and none waits before it, else queues it. */
  private void answer(StreamFrame.Data frame) {
    if (blocked.isEmpty() && mux.sendCredit(frame.streamId()) > 0) {
      send(frame);
    } else {
      blocked.add(frame);
    }
  }

  private void flushBlocked() {
    while (!blocked.isEmpty() && mux.sendCredit(blocked.peek().streamId()) > 0) {
      send(blocked.poll());
    }
  }

  private static StreamFrame.Data data(int stream, BraidMessage message) {
    return new StreamFrame.Data(stream, false, BinaryMessageCodec.INSTANCE.encode(message));
  }

  private void send(StreamFrame frame) {
    mux.sent(frame);
    batcher.add(frame, write);
    if (!flushScheduled) {
      flushScheduled = true;
      context.runOnContext(v -> {
        flushScheduled = false;
        batcher.flush(write);
      });
    }
  }
}
