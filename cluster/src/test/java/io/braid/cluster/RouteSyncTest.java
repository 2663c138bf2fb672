package io.braid.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The route table kept in step with the Hazelcast map of routes, on a cluster of one member. */
class RouteSyncTest {

  private HazelcastInstance hazelcast;
  private IMap<String, Long> routes;
  private String self;
  private final RouteTable table = new RouteTable();
  private final LocalFilters local = new LocalFilters();
  private final List<String> joined = new ArrayList<>();
  private RouteSync sync;

  @BeforeEach
  void start() {
    Config config = ClusterSetup.hazelcastConfig(new ClusterOptions("routes-test-" + UUID.randomUUID(), "127.0.0.1",
        5701, List.of(), "links", ""));
    config.getNetworkConfig().setPort(0).setPublicAddress(null); // a member alone: any free port
    hazelcast = Hazelcast.newHazelcastInstance(config);
    routes = hazelcast.getMap(RouteSync.MAP);
    self = hazelcast.getCluster().getLocalMember().getUuid().toString();
    sync = new RouteSync(hazelcast, self, table, local, new ClusterStats(), joined::add, node -> { });
  }

  @AfterEach
  void stop() {
    sync.close();
    hazelcast.shutdown();
  }

  private static TopicFilter filter(String filter) {
    return TopicFilter.parse(filter);
  }

  @Test
  void aFilterIsAnnouncedAtItsFirstSubscriptionAndWithdrawnAtItsLast() {
    sync.start();
    String key = new NodeRoute(self, filter("chat/#")).key();

    local.increment(filter("chat/#"));
    sync.changed(filter("chat/#"));
    await().atMost(Duration.ofSeconds(10)).until(() -> routes.containsKey(key));

    local.decrement(filter("chat/#"));
    sync.changed(filter("chat/#"));
    await().atMost(Duration.ofSeconds(10)).until(() -> !routes.containsKey(key));
    assertThat(table.size()).as("this node's own routes are not in its table").isZero();
  }

  @Test
  void filtersRecoveredBeforeStartAreAnnouncedAtStart() {
    local.increment(filter("sensors/+"));

    sync.start();

    await().atMost(Duration.ofSeconds(10)).until(() -> routes.containsKey(new NodeRoute(self,
        filter("sensors/+")).key()));
  }

  @Test
  void anotherNodesRoutesAreMirroredAsTheyComeAndGo() throws Exception {
    sync.start().get(10, TimeUnit.SECONDS); // else the oldest member drops the key as stale
    String key = new NodeRoute("other-node", filter("jobs/#")).key();

    routes.set(key, 1L);
    await().atMost(Duration.ofSeconds(10)).until(() -> table.size() == 1);
    assertThat(table.plan(TopicName.parse("jobs/1"), List.of(), group -> false, 0).remote())
        .containsOnlyKeys("other-node");

    routes.delete(key);
    await().atMost(Duration.ofSeconds(10)).until(() -> table.size() == 0);
  }

  @Test
  void aRouteDroppedHereComesBackWhenItsNodeAnnouncesItAgain() throws Exception {
    sync.start().get(10, TimeUnit.SECONDS); // else the oldest member drops the key as stale
    String key = new NodeRoute("other-node", filter("jobs/#")).key();
    routes.set(key, 1L);
    await().atMost(Duration.ofSeconds(10)).until(() -> table.size() == 1);
    table.removeNode("other-node"); // as when the node seemed to leave: a partition

    routes.set(key, 2L); // the partition healed and the node announced its filters again: an update

    await().atMost(Duration.ofSeconds(10)).until(() -> table.size() == 1);
  }

  @Test
  void aNodeAnnouncesItsFiltersAgainWhenAMemberJoins() {
    local.increment(filter("chat/#"));
    sync.start();
    String key = new NodeRoute(self, filter("chat/#")).key();
    await().atMost(Duration.ofSeconds(10)).until(() -> routes.containsKey(key));
    routes.delete(key); // as the other side of a partition does for a node it believes gone

    Config config = ClusterSetup.hazelcastConfig(new ClusterOptions(hazelcast.getConfig().getClusterName(),
        "127.0.0.1", 5701, List.of("127.0.0.1:" + hazelcast.getCluster().getLocalMember().getAddress().getPort()),
        "links", ""));
    config.getNetworkConfig().setPort(0).setPublicAddress(null);
    HazelcastInstance joining = Hazelcast.newHazelcastInstance(config);
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> routes.containsKey(key));
      assertThat(joined).as("the oldest other member welcomes the new one").hasSize(1);
    } finally {
      joining.shutdown();
    }
  }

  @Test
  void routesLeftInTheMapByANodeThatIsGoneAreDroppedByTheOldestMember() {
    String stale = new NodeRoute("departed-node", filter("old/#")).key();
    routes.set(stale, 1L);

    sync.start();

    await().atMost(Duration.ofSeconds(10)).until(() -> !routes.containsKey(stale));
    await().atMost(Duration.ofSeconds(10)).until(() -> table.size() == 0);
  }
}
