package io.braid.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct TCP links between nodes, one per (sender, receiver), carrying length-prefixed messages: what a node sends
 * to another between two turns of the link's event loop goes out in one write. Each node listens on a free port of
 * the cluster address and tells the others where in a Hazelcast map ({@code braid.links}: node -> host:port).
 *
 * <pre>
 * frame: u32 length, then that many bytes (a {@link PeerMessage})
 * </pre>
 *
 * <p>A link connects at its first message and reconnects while its node is a member; messages wait in its queue
 * meanwhile, up to {@link #MAX_QUEUED}, past which they are dropped and counted.
 */
final class NodeLinks implements PeerTransport {

  static final String MAP = "braid.links";
  static final int MAX_QUEUED = 200_000;
  private static final int MAX_FRAME = 16 * 1024 * 1024;
  private static final int BATCH_BYTES = 64 * 1024;
  private static final long RECONNECT_MILLIS = 500;
  private static final Logger log = LoggerFactory.getLogger(NodeLinks.class);

  private final Vertx vertx;
  private final String self;
  private final String host;
  private final IMap<String, String> addresses;
  private final ClusterStats stats;
  private final Map<String, Link> links = new ConcurrentHashMap<>();
  private Context context;
  private NetServer server;
  private NetClient client;

  NodeLinks(Vertx vertx, HazelcastInstance hazelcast, String self, String host, ClusterStats stats) {
    this.vertx = vertx;
    this.self = self;
    this.host = host;
    this.addresses = hazelcast.getMap(MAP);
    this.stats = stats;
  }

  @Override
  public Future<Void> start(Consumer<Buffer> receiver) {
    context = vertx.getOrCreateContext();
    client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(5_000));
    server = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(0).setTcpNoDelay(true))
        .connectHandler(socket -> read(socket, receiver));
    return server.listen().map(bound -> {
      addresses.set(self, host + ":" + bound.actualPort()); // start-up: blocking is allowed
      log.info("cluster links listening on {}:{}", host, bound.actualPort());
      return null;
    });
  }

  private static void read(NetSocket socket, Consumer<Buffer> receiver) {
    RecordParser parser = RecordParser.newFixed(4);
    parser.handler(new io.vertx.core.Handler<>() {
      private int length = -1;

      @Override
      public void handle(Buffer chunk) {
        if (length < 0) {
          length = chunk.getInt(0);
          if (length < 0 || length > MAX_FRAME) {
            log.warn("closing the cluster link from {}: frame of {} bytes", socket.remoteAddress(), length);
            socket.close();
            return;
          }
          parser.fixedSizeMode(Math.max(length, 1));
          if (length == 0) {
            length = -1;
            parser.fixedSizeMode(4);
          }
        } else {
          receiver.accept(chunk);
          length = -1;
          parser.fixedSizeMode(4);
        }
      }
    });
    socket.handler(parser);
  }

  @Override
  public void send(String node, Buffer message) {
    Link link = links.computeIfAbsent(node, Link::new);
    if (link.pending.incrementAndGet() > MAX_QUEUED) {
      link.pending.decrementAndGet();
      stats.onLinkDrop();
      return;
    }
    link.queue.add(message);
    if (link.scheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> link.drain());
    }
  }

  @Override
  public void nodeLeft(String node) {
    Link link = links.remove(node);
    if (link != null) {
      context.runOnContext(v -> link.close());
    }
    addresses.removeAsync(node);
  }

  @Override
  public void close() {
    links.values().forEach(link -> context.runOnContext(v -> link.close()));
    links.clear();
    if (server != null) {
      server.close();
    }
    if (client != null) {
      client.close();
    }
  }

  /** The link to one node. {@link #queue} and {@link #pending} from any thread; the rest on {@link #context}. */
  private final class Link {
    private final String node;
    private final Queue<Buffer> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private NetSocket socket;
    private boolean connecting;
    private boolean closed;

    Link(String node) {
      this.node = node;
    }

    void drain() {
      scheduled.set(false); // a message added from now on schedules another drain
      if (socket == null) {
        connect();
        return;
      }
      Buffer batch = Buffer.buffer(Math.min(BATCH_BYTES, 256 * Math.max(1, pending.get())));
      for (Buffer message = queue.poll(); message != null; message = queue.poll()) {
        pending.decrementAndGet();
        batch.appendInt(message.length()).appendBuffer(message);
        if (batch.length() >= BATCH_BYTES) {
          socket.write(batch);
          batch = Buffer.buffer(BATCH_BYTES);
        }
      }
      if (batch.length() > 0) {
        socket.write(batch);
      }
    }

    private void connect() {
      if (connecting || closed) {
        return;
      }
      connecting = true;
      Future.fromCompletionStage(addresses.getAsync(node), context).compose(address -> {
        if (address == null) {
          return Future.failedFuture("no address for node " + node + " yet");
        }
        int colon = address.lastIndexOf(':');
        return client.connect(Integer.parseInt(address.substring(colon + 1)), address.substring(0, colon));
      }).onComplete(connected -> {
        connecting = false;
        if (closed) {
          if (connected.succeeded()) {
            connected.result().close();
          }
          return;
        }
        if (connected.failed()) {
          log.debug("cannot reach node {} yet: {}", node, connected.cause().getMessage());
          vertx.setTimer(RECONNECT_MILLIS, id -> connect());
          return;
        }
        socket = connected.result();
        socket.closeHandler(v -> {
          socket = null;
          if (!closed && !queue.isEmpty()) {
            vertx.setTimer(RECONNECT_MILLIS, id -> connect());
          }
        });
        drain();
      });
    }

    void close() {
      closed = true;
      int dropped = pending.getAndSet(0);
      queue.clear();
      if (dropped > 0) {
        log.info("dropped {} messages queued for node {}, which left", dropped, node);
      }
      if (socket != null) {
        socket.close();
      }
    }
  }
}
