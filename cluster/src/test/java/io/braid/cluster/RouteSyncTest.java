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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The route table kept in step with the Hazelcast map of routes, on a cluster of one member. */
class RouteSyncTest {

  private HazelcastInstance hazelcast;
  private IMap<String, Boolean> routes;
  private String self;
  private final RouteTable table = new RouteTable();
  private final LocalFilters local = new LocalFilters();
  private final List<String> joined = new ArrayList<>();
  private RouteSync sync;

  @BeforeEach
  void start() {
    Config config = ClusterSetup.hazelcastConfig(new ClusterOptions("routes-test-" + UUID.randomUUID(), "127.0.0.1",
        5701, List.of(), "links"));
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
  void anotherNodesRoutesAreMirroredAsTheyComeAndGo() {
    sync.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> sync.peers().isEmpty());
    String key = new NodeRoute("other-node", filter("jobs/#")).key();

    routes.set(key, Boolean.TRUE);
    await().atMost(Duration.ofSeconds(10)).until(() -> table.size() == 1);
    assertThat(table.plan(TopicName.parse("jobs/1"), List.of(), group -> false, 0).remote())
        .containsOnlyKeys("other-node");

    routes.delete(key);
    await().atMost(Duration.ofSeconds(10)).until(() -> table.size() == 0);
  }

  @Test
  void routesLeftInTheMapByANodeThatIsGoneAreDroppedByTheOldestMember() {
    String stale = new NodeRoute("departed-node", filter("old/#")).key();
    routes.set(stale, Boolean.TRUE);

    sync.start();

    await().atMost(Duration.ofSeconds(10)).until(() -> !routes.containsKey(stale));
    await().atMost(Duration.ofSeconds(10)).until(() -> table.size() == 0);
  }
}
