package io.braid.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct TCP links between nodes ({@link LinkFrames}), two per (sender, receiver), one for forwarded messages and
 * one for replica changes, each in order and acknowledged in order on its own: what a node sends another between
 * two turns of the link's event loop goes out in one write ({@link OutboundLink}), and the receiver acknowledges
 * what it was asked to once it took it ({@link InboundLink}). Each node listens on a free port of the cluster
 * address and tells the others where in a Hazelcast map ({@code braid.links}: node -> host:port).
 */
final class NodeLinks implements PeerTransport {

  static final String MAP = "braid.links";
  static final int MAX_QUEUED = OutboundLink.MAX_QUEUED;
  private static final Logger log = LoggerFactory.getLogger(NodeLinks.class);

  private final Vertx vertx;
  private final Supplier<String> self;
  private final String host;
  private final HazelcastInstance hazelcast;
  private final IMap<String, String> addresses;
  private final ClusterStats stats;
  private final Map<String, OutboundLink> links = new ConcurrentHashMap<>();
  /** Replica changes, on links of their own ({@link PeerTransport#replicate}). */
  private final Map<String, OutboundLink> replicaLinks = new ConcurrentHashMap<>();
  /** Nodes that left: a publisher with a plan made before they did gets a failure, not a link that never connects. */
  private final Set<String> departed = ConcurrentHashMap.newKeySet();
  private volatile Context context;
  private volatile NetServer server;
  private volatile NetClient client;

  /** @param self this node's identity now (it changes when a healed partition merges) */
  NodeLinks(Vertx vertx, HazelcastInstance hazelcast, Supplier<String> self, String host, ClusterStats stats) {
    this.vertx = vertx;
    this.self = self;
    this.host = host;
    this.hazelcast = hazelcast;
    this.addresses = hazelcast.getMap(MAP);
    this.stats = stats;
  }

  @Override
  public Future<Void> start(Receiver receiver) {
    context = vertx.getOrCreateContext();
    client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(5_000));
    server = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(0).setTcpNoDelay(true))
        .connectHandler(socket -> InboundLink.serve(socket, receiver));
    return server.listen().compose(bound -> {
      String address = host + ":" + bound.actualPort();
      // after a partition heals the other side has forgotten it, and this node may have a new identity: say it again
      // whenever a member joins
      hazelcast.getCluster().addMembershipListener(new MembershipListener() {
        @Override
        public void memberAdded(MembershipEvent event) {
          departed.remove(event.getMember().getUuid().toString()); // a member again, after a healed partition
          addresses.setAsync(self.get(), address);
        }

        @Override
        public void memberRemoved(MembershipEvent event) {
        }
      });
      log.info("cluster links listening on {}", address);
      return Future.fromCompletionStage(addresses.setAsync(self.get(), address), context);
    });
  }

  @Override
  public void send(String node, Buffer message) {
    if (departed.contains(node) || !link(links, node).offer(message, null)) {
      stats.onLinkDrop();
    }
  }

  @Override
  public CompletableFuture<Void> sendAcknowledged(String node, Buffer message) {
    return sendAcknowledged(links, node, message);
  }

  @Override
  public CompletableFuture<Void> replicate(String node, Buffer frame) {
    return sendAcknowledged(replicaLinks, node, frame);
  }

  private CompletableFuture<Void> sendAcknowledged(Map<String, OutboundLink> lane, String node, Buffer message) {
    if (departed.contains(node)) {
      return CompletableFuture.failedFuture(new IllegalStateException("node " + node + " left the cluster"));
    }
    CompletableFuture<Void> taken = new CompletableFuture<>();
    if (!link(lane, node).offer(message, taken)) {
      stats.onLinkDrop();
      taken.completeExceptionally(new IllegalStateException("too many messages wait for node " + node));
    }
    return taken;
  }

  private OutboundLink link(Map<String, OutboundLink> lane, String node) {
    return lane.computeIfAbsent(node, n -> new OutboundLink(n, context, () -> connect(n), MAX_QUEUED,
        OutboundLink.ACK_TIMEOUT_MILLIS));
  }

  /** A connection to {@code node}, at the address it announced. On {@link #context}. */
  private Future<NetSocket> connect(String node) {
    return Future.fromCompletionStage(addresses.getAsync(node), context).compose(address -> {
      if (address == null) {
        return Future.failedFuture("no address for node " + node + " yet");
      }
      int colon = address.lastIndexOf(':');
      return client.connect(Integer.parseInt(address.substring(colon + 1)), address.substring(0, colon));
    });
  }

  @Override
  public void nodeLeft(String node) {
    departed.add(node);
    for (Map<String, OutboundLink> lane : List.of(links, replicaLinks)) {
      OutboundLink link = lane.remove(node);
      if (link != null) {
        context.runOnContext(v -> link.close());
      }
    }
    addresses.removeAsync(node);
  }

  /** Stops accepting and sending; waits (at most 10 s) until the server is closed. Blocking: not on an event loop. */
  @Override
  public void close() {
    for (Map<String, OutboundLink> lane : List.of(links, replicaLinks)) {
      lane.values().forEach(link -> context.runOnContext(v -> link.close()));
      lane.clear();
    }
    try {
      if (server != null) {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      if (client != null) {
        client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("closing the cluster links: {}", e.toString());
    }
  }
}
