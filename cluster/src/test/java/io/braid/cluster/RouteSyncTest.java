package io.braid.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    hazelcast = TestHazelcast.alone("routes-test");
    routes = hazelcast.getMap(RouteSync.MAP);
    self = hazelcast.getCluster().getLocalMember().getUuid().toString();
    sync = new RouteSync(hazelcast, () -> hazelcast.getCluster().getLocalMember().getUuid().toString(), table, local,
        new ClusterStats(), joined::add, node -> { });
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

  /** A second member of the same cluster (shut down by the caller). */
  private HazelcastInstance second() {
    return TestHazelcast.joining(hazelcast);
  }

  @Test
  void anotherNodesRoutesAreMirroredAsTheyComeAndGo() throws Exception {
    sync.start().get(10, TimeUnit.SECONDS);
    HazelcastInstance other = second();
    try {
      String node = other.getCluster().getLocalMember().getUuid().toString();
      String key = new NodeRoute(node, filter("jobs/#")).key();

      routes.set(key, 1L);
      await().atMost(Duration.ofSeconds(10)).until(() -> table.size() == 1);
      assertThat(table.plan(TopicName.parse("jobs/1"), List.of(), group -> false, 0).remote()).containsOnlyKeys(node);

      routes.delete(key);
      await().atMost(Duration.ofSeconds(10)).until(() -> table.size() == 0);
    } finally {
      other.shutdown();
    }
  }

  @Test
  void aRouteOfANodeThatIsNoMemberIsNeverRoutedTo() throws Exception {
    sync.start().get(10, TimeUnit.SECONDS);

    routes.set(new NodeRoute("gone-since-a-merge", filter("jobs/#")).key(), 1L);

    await().atMost(Duration.ofSeconds(10)).until(() -> sync.parkedRoutes() == 1);
    assertThat(table.size()).isZero();
  }

  @Test
  void aRouteParkedForGoodIsDroppedFromTheMapButAMembersRouteStays() throws Exception {
    sync.close();
    sync = new RouteSync(hazelcast, () -> hazelcast.getCluster().getLocalMember().getUuid().toString(), table, local,
        new ClusterStats(), joined::add, node -> { }, 100);
    sync.start().get(10, TimeUnit.SECONDS);
    HazelcastInstance other = second();
    try {
      String member = new NodeRoute(other.getCluster().getLocalMember().getUuid().toString(), filter("jobs/#")).key();
      routes.set(member, 1L);
      await().atMost(Duration.ofSeconds(10)).until(() -> table.size() == 1);
      String stale = new NodeRoute("gone-since-a-merge", filter("jobs/#")).key();

      routes.set(stale, 1L); // as a merge that came after this node dropped the stale keys brings it back

      await().atMost(Duration.ofSeconds(10)).until(() -> !routes.containsKey(stale) && sync.parkedRoutes() == 0);
      assertThat(routes.containsKey(member)).isTrue();
      assertThat(table.size()).isEqualTo(1);
    } finally {
      other.shutdown();
    }
  }

  @Test
  void aRouteDroppedHereComesBackWhenItsNodeAnnouncesItAgain() throws Exception {
    sync.start().get(10, TimeUnit.SECONDS);
    HazelcastInstance other = second();
    try {
      String node = other.getCluster().getLocalMember().getUuid().toString();
      String key = new NodeRoute(node, filter("jobs/#")).key();
      routes.set(key, 1L);
      await().atMost(Duration.ofSeconds(10)).until(() -> table.size() == 1);
      table.removeNode(node); // as when the node seemed to leave: a partition

      routes.set(key, 2L); // the partition healed and the node announced its filters again: an update

      await().atMost(Duration.ofSeconds(10)).until(() -> table.size() == 1);
    } finally {
      other.shutdown();
    }
  }

  @Test
  void aNodeAnnouncesItsFiltersAgainWhenAMemberJoins() {
    local.increment(filter("chat/#"));
    sync.start();
    String key = new NodeRoute(self, filter("chat/#")).key();
    await().atMost(Duration.ofSeconds(10)).until(() -> routes.containsKey(key));
    routes.delete(key); // as the other side of a partition does for a node it believes gone

    HazelcastInstance joining = second();
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
