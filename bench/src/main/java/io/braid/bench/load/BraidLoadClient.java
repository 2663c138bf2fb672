package io.braid.bench.load;

import io.braid.protocol.codec.Role;
import io.braid.protocol.endpoint.EndpointListener;
import io.braid.protocol.endpoint.StreamEndpoint;
import io.braid.protocol.message.BinaryMessageCodec;
import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.ConnAck;
import io.braid.protocol.message.Connect;
import io.braid.protocol.message.PubAck;
import io.braid.protocol.message.PubComp;
import io.braid.protocol.message.PubRec;
import io.braid.protocol.message.PubRel;
import io.braid.protocol.message.PublishAck;
import io.braid.protocol.message.Publish;
import io.braid.protocol.message.SubAck;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.mux.StreamSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.function.Consumer;
import org.HdrHistogram.Recorder;

/**
 * One Braid client of the load tool, speaking {@code braid.v1} over Vert.x's own {@link WebSocketClient} (not
 * Braid's transport) through the protocol module's {@link StreamEndpoint}: it connects, subscribes, acknowledges
 * every delivery at once (its credit returns with the acknowledgement), and publishes from one publication stream as
 * far as the broker's credit and the caller's window allow.
 *
 * <p>Confined to its connection's event loop: call it on {@link #context()}.
 */
final class BraidLoadClient implements EndpointListener, LoadClient {

  /** Credit this client grants the broker: generous, so that the broker's delivery rate is what is measured. */
  static final StreamSettings SETTINGS = new StreamSettings(1_024, 16_384, 100, 1 << 20);

  private final WebSocket ws;
  private final Context context;
  private final StreamEndpoint endpoint;
  private Promise<ConnAck> connected;
  private Promise<Void> subscribed;
  private Consumer<Buffer> onDelivery = payload -> { };
  private Runnable onCredit = () -> { };
  private Runnable onAcknowledged = () -> { };
  private int publicationStream;
  private int nextPacketId;
  /** When each packet id in flight was published, for {@link #acknowledgements}; null if not recorded. */
  private long[] publishedAt;
  private Recorder acknowledgements;

  private BraidLoadClient(WebSocket ws, Context context) {
    this.ws = ws;
    this.context = context;
    this.endpoint = new StreamEndpoint(Role.CLIENT, SETTINGS, BinaryMessageCodec.SUBPROTOCOL,
        (text, payload) -> ws.writeBinaryMessage(payload), command -> context.runOnContext(v -> command.run()), this);
    ws.binaryMessageHandler(message -> endpoint.receive(false, message));
  }

  /**
   * Opens a WebSocket to {@code path} on {@code port}, on {@code context}'s event loop, and sends SETTINGS and CONNECT;
   * completes on CONNACK.
   */
  static Future<BraidLoadClient> connect(Context context, WebSocketClient client, String host, int port, String path,
      Connect connect) {
    Promise<BraidLoadClient> result = Promise.promise();
    context.runOnContext(v -> client.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI(path)
            .addSubProtocol(BinaryMessageCodec.SUBPROTOCOL))
        .onFailure(result::fail)
        .onSuccess(ws -> {
          BraidLoadClient braid = new BraidLoadClient(ws, Vertx.currentContext());
          braid.connected = Promise.promise();
          braid.endpoint.start();
          braid.endpoint.send(0, connect, false);
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

  @Override
  public Context context() {
    return context;
  }

  @Override
  public Future<Void> subscribe(String filter, int qos, Consumer<Buffer> deliveries) {
    onDelivery = deliveries;
    subscribed = Promise.promise();
    endpoint.send(endpoint.openStream(), Subscribe.of(filter, qos), false);
    return subscribed.future();
  }

  @Override
  public void onFlow(Runnable credit, Runnable acknowledged) {
    this.onCredit = credit;
    this.onAcknowledged = acknowledged;
  }

  @Override
  public void recordAcknowledgements(Recorder acknowledgements) {
    this.acknowledgements = acknowledgements;
    this.publishedAt = new long[65_536];
  }

  /** Whether a publish can go out now: the broker's credit on the publication stream. */
  @Override
  public boolean canPublish() {
    return publicationStream == 0 ? endpoint.canOpenStream() : endpoint.canSend(publicationStream);
  }

  @Override
  public void publish(String topic, Buffer payload, int qos) {
    if (publicationStream == 0) {
      publicationStream = endpoint.openStream();
    }
    int packetId = 0;
    if (qos > 0) {
      nextPacketId = nextPacketId % 65_535 + 1;
      packetId = nextPacketId;
      if (publishedAt != null) {
        publishedAt[packetId] = System.nanoTime();
      }
    }
    endpoint.send(publicationStream, Publish.of(topic, payload, qos, packetId), false);
  }

  @Override
  public Future<Void> close() {
    return ws.close();
  }

  @Override
  public void onMessage(int stream, boolean opened, boolean endStream, BraidMessage message) {
    if (message instanceof Publish publish) {
      onDelivery.accept(publish.payload());
      if (publish.qos() == 1) {
        endpoint.answer(stream, PubAck.of(publish.packetId()), false);
      } else if (publish.qos() == 2) {
        endpoint.answer(stream, PubRec.of(publish.packetId()), false);
      } else {
        endpoint.consumed(stream);
      }
      return;
    }
    if (message instanceof PubRel rel) {
      endpoint.answer(stream, PubComp.of(rel.packetId()), false);
      return;
    }
    if (message instanceof PubRec rec) {
      endpoint.answer(stream, PubRel.of(rec.packetId()), false);
      return;
    }
    endpoint.consumed(stream);
    if (message instanceof PubAck || message instanceof PubComp) {
      if (publishedAt != null) {
        acknowledgements.recordValue(System.nanoTime() - publishedAt[((PublishAck) message).packetId()]);
      }
      onAcknowledged.run();
    } else if (message instanceof ConnAck connAck) {
      connected.tryComplete(connAck);
    } else if (message instanceof SubAck subAck) {
      if (subAck.reasonCode() < 0x80) {
        subscribed.tryComplete();
      } else {
        subscribed.tryFail("SUBACK reason code 0x" + Integer.toHexString(subAck.reasonCode()));
      }
    }
  }

  @Override
  public void onCredit(int streamId) {
    onCredit.run();
  }

  @Override
  public void onControlError(int reasonCode, String reason) {
    throw new IllegalStateException("broker sent a bad message on stream 0: " + reason);
  }

  @Override
  public void onConnectionError(long errorCode, String reason) {
    throw new IllegalStateException("broker broke the stream layer: " + reason);
  }

  @Override
  public void onWrongMessageKind(String reason) {
    throw new IllegalStateException("broker sent the wrong kind of message: " + reason);
  }
}
