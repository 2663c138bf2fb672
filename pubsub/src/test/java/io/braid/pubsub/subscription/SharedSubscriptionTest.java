package io.braid.pubsub.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Shared subscriptions, {@code $share/{group}/{filter}} (MQTT 5.0 §4.8.2). */
class SharedSubscriptionTest {

  private static final TopicName TOPIC = TopicName.parse("jobs/build");

  private final SubscriptionIndex index = new SubscriptionIndex();

  @Test
  void eachMessageGoesToOneMemberRoundRobinSoEachGetsItsShare_MQTT_4_8_2() {
    List<String> members = List.of("w1", "w2", "w3");
    for (String member : members) {
      subscribe(member, "$share/workers/jobs/+", SubscriptionOptions.ofMaxQos(1));
    }
    int messages = 100;
    Map<String, Integer> received = new HashMap<>();
    for (int i = 0; i < messages; i++) {
      RouteResult result = index.route(TOPIC, "p", 1);
      assertThat(result.deliveries()).hasSize(1);
      received.merge(result.deliveries().get(0).clientId(), 1, Integer::sum);
    }

    assertThat(received).containsOnlyKeys(members);
    assertThat(received.values()).allSatisfy(count ->
        assertThat(count).isBetween(messages / members.size() - 1, messages / members.size() + 1));
  }

  @Test
  @Timeout(30)
  void concurrentRoutersEachTakeTheirOwnTurnSoTheShareStaysExact() throws Exception {
    List<String> members = List.of("w1", "w2", "w3");
    for (String member : members) {
      subscribe(member, "$share/workers/jobs/build", SubscriptionOptions.ofMaxQos(1));
    }
    int routers = 4;
    int messagesPerRouter = 3_000;
    Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    CyclicBarrier start = new CyclicBarrier(routers);
    ExecutorService pool = Executors.newFixedThreadPool(routers);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int r = 0; r < routers; r++) {
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < messagesPerRouter; i++) {
            for (Delivery delivery : index.route(TOPIC, "p", 1).deliveries()) {
              received.computeIfAbsent(delivery.clientId(), id -> new AtomicInteger()).incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> future : futures) {
        future.get(20, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    // one atomic cursor per group: every message takes exactly one turn, so 12,000 messages split 4,000 each
    assertThat(received).containsOnlyKeys(members);
    assertThat(received.values()).extracting(AtomicInteger::get)
        .containsOnly(routers * messagesPerRouter / members.size());
  }

  @Test
  void membersThatCannotTakeAMessageNowAreSkipped() {
    subscribe("w1", "$share/workers/jobs/#", SubscriptionOptions.ofMaxQos(1));
    subscribe("w2", "$share/workers/jobs/#", SubscriptionOptions.ofMaxQos(1));
    subscribe("w3", "$share/workers/jobs/#", SubscriptionOptions.ofMaxQos(1));
    Set<String> online = Set.of("w2");

    for (int i = 0; i < 10; i++) {
      RouteResult result = index.route(TOPIC, "p", 1, online::contains);
      assertThat(result.deliveries()).extracting(Delivery::clientId).containsExactly("w2");
      assertThat(result.unavailableSharedGroups()).isZero();
    }
  }

  @Test
  void aGroupWithNoAvailableMemberGetsTheMessageForTheMemberWhoseTurnItIsAndIsCounted() {
    subscribe("w1", "$share/workers/jobs/#", SubscriptionOptions.ofMaxQos(1));
    subscribe("w2", "$share/workers/jobs/#", SubscriptionOptions.ofMaxQos(1));
    subscribe("w3", "$share/other/jobs/+", SubscriptionOptions.ofMaxQos(1));
    subscribe("w1", "jobs/build", SubscriptionOptions.ofMaxQos(0));

    RouteResult result = index.route(TOPIC, "p", 1, clientId -> false);

    assertThat(result.deliveries()).containsExactly(
        new Delivery("w1", TopicFilter.parse("jobs/build"), 0, false, List.of()),
        new Delivery("w1", TopicFilter.parse("$share/workers/jobs/#"), 1, false, List.of()),
        new Delivery("w3", TopicFilter.parse("$share/other/jobs/+"), 1, false, List.of()));
    assertThat(result.unavailableSharedGroups()).isEqualTo(2);
  }

  @Test
  void eachDistinctShareNameAndFilterIsItsOwnGroup_MQTT_4_8_2() {
    subscribe("a1", "$share/a/jobs/build", SubscriptionOptions.ofMaxQos(1));
    subscribe("b1", "$share/b/jobs/build", SubscriptionOptions.ofMaxQos(1));
    subscribe("b2", "$share/b/jobs/+", SubscriptionOptions.ofMaxQos(1));

    assertThat(index.route(TOPIC, "p", 1).deliveries()).extracting(Delivery::clientId)
        .containsExactlyInAnyOrder("a1", "b1", "b2");
  }

  @Test
  void sharedAndNonSharedSubscriptionsOfOneSessionAreIndependentDeliveries_MQTT_4_8_2() {
    subscribe("c1", "jobs/build", SubscriptionOptions.ofMaxQos(0).withSubscriptionIdentifier(1));
    subscribe("c1", "$share/g/jobs/build",
        SubscriptionOptions.ofMaxQos(2).withSubscriptionIdentifier(2).withRetainAsPublished(true));

    assertThat(index.route(TOPIC, "p", 2).deliveries()).containsExactly(
        new Delivery("c1", TopicFilter.parse("jobs/build"), 0, false, List.of(1)),
        new Delivery("c1", TopicFilter.parse("$share/g/jobs/build"), 2, true, List.of(2)));
  }

  @Test
  void resubscribingToASharedGroupReplacesTheMembersOptions_MQTT_3_8_4_3() {
    assertThat(subscribe("c1", "$share/g/jobs/build", SubscriptionOptions.ofMaxQos(0))).isTrue();
    assertThat(subscribe("c1", "$share/g/jobs/build", SubscriptionOptions.ofMaxQos(2))).isFalse();

    assertThat(index.route(TOPIC, "p", 2).deliveries())
        .containsExactly(new Delivery("c1", TopicFilter.parse("$share/g/jobs/build"), 2, false, List.of()));
  }

  @Test
  void theGroupEndsWhenItsLastMemberUnsubscribes() {
    subscribe("w1", "$share/g/jobs/build", SubscriptionOptions.ofMaxQos(1));
    subscribe("w2", "$share/g/jobs/build", SubscriptionOptions.ofMaxQos(1));

    assertThat(index.unsubscribe("w1", TopicFilter.parse("$share/g/jobs/build"))).isTrue();
    assertThat(index.route(TOPIC, "p", 1).deliveries()).extracting(Delivery::clientId).containsExactly("w2");
    assertThat(index.unsubscribe("w2", TopicFilter.parse("$share/g/jobs/build"))).isTrue();

    assertThat(index.route(TOPIC, "p", 1, clientId -> false)).isEqualTo(new RouteResult(List.of(), 0));
  }

  private boolean subscribe(String clientId, String filter, SubscriptionOptions options) {
    return index.subscribe(new Subscription(clientId, TopicFilter.parse(filter), options));
  }
}
