package io.braid.pubsub.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Routers route while writers subscribe, re-subscribe, unsubscribe and remove sessions. Bounded iterations, no
 * sleeps: the assertions hold for every interleaving.
 */
class SubscriptionIndexConcurrencyTest {

  private static final int ROUTERS = 4;
  private static final int WRITERS = 3;
  private static final int ROUTES_PER_ROUTER = 20_000;
  private static final int WRITES_PER_WRITER = 10_000;
  private static final TopicName TOPIC = TopicName.parse("stable/x");
  private static final List<String> CHURN_FILTERS =
      List.of("stable/x", "stable/+", "#", "stable/#", "$share/g/stable/x", "$share/stable/#", "other/x");

  private final SubscriptionIndex index = new SubscriptionIndex();

  @Test
  @Timeout(60)
  void subscriptionsPresentThroughoutAreAlwaysDeliveredWhileOthersChange() throws Exception {
    index.subscribe(subscription("stable-a", "stable/x", SubscriptionOptions.ofMaxQos(1).withSubscriptionIdentifier(1)));
    index.subscribe(subscription("stable-a", "stable/#", SubscriptionOptions.ofMaxQos(2).withSubscriptionIdentifier(2)));
    index.subscribe(subscription("stable-b", "+/x", SubscriptionOptions.ofMaxQos(0)));
    index.subscribe(subscription("stable-w1", "$share/stable/#", SubscriptionOptions.ofMaxQos(1)));
    // stable shared members that received at least one message while churn members joined and left the group
    Set<String> sharedReceivers = ConcurrentHashMap.newKeySet();

    CyclicBarrier start = new CyclicBarrier(ROUTERS + WRITERS);
    ExecutorService pool = Executors.newFixedThreadPool(ROUTERS + WRITERS);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int r = 0; r < ROUTERS; r++) {
        int router = r;
        futures.add(pool.submit(() -> route(start, router, sharedReceivers)));
      }
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        futures.add(pool.submit(() -> write(start, writer)));
      }
      for (Future<?> future : futures) {
        future.get(50, TimeUnit.SECONDS); // rethrows any assertion error or exception from a thread
      }
    } finally {
      pool.shutdownNow();
    }

    RouteResult last = index.route(TOPIC, "p", 2);
    assertThat(last.deliveries()).containsExactlyInAnyOrder(
        new Delivery("stable-a", TopicFilter.parse("stable/#"), 2, false, List.of(1, 2)),
        new Delivery("stable-b", TopicFilter.parse("+/x"), 0, false, List.of()),
        new Delivery("stable-w1", TopicFilter.parse("$share/stable/#"), 1, false, List.of()));
    assertThat(sharedReceivers).contains("stable-w1");
  }

  private Void route(CyclicBarrier start, int router, Set<String> sharedReceivers) throws Exception {
    start.await();
    for (int i = 0; i < ROUTES_PER_ROUTER; i++) {
      RouteResult result = index.route(TOPIC, "publisher-" + router, 2);
      assertThat(result.unavailableSharedGroups()).isZero();
      List<Delivery> stable = result.deliveries().stream()
          .filter(delivery -> delivery.clientId().equals("stable-a") || delivery.clientId().equals("stable-b"))
          .collect(Collectors.toList());
      assertThat(stable).containsExactlyInAnyOrder(
          new Delivery("stable-a", TopicFilter.parse("stable/#"), 2, false, List.of(1, 2)),
          new Delivery("stable-b", TopicFilter.parse("+/x"), 0, false, List.of()));
      // the "$share/stable/#" group always has a member, so some member of it (stable or churn) is delivered to
      long fromStableGroup = result.deliveries().stream()
          .filter(delivery -> delivery.clientId().equals("stable-w1") || delivery.clientId().startsWith("churn-"))
          .count();
      assertThat(fromStableGroup).isPositive();
      result.deliveries().stream().map(Delivery::clientId).filter(id -> id.startsWith("stable-w"))
          .forEach(sharedReceivers::add);
      assertThat(result.deliveries()).extracting(Delivery::clientId)
          .filteredOn(id -> id.startsWith("stable-")).doesNotHaveDuplicates();
    }
    return null;
  }

  private Void write(CyclicBarrier start, int writer) throws Exception {
    Random random = new Random(writer);
    String[] sessions = {"churn-" + writer + "-0", "churn-" + writer + "-1", "churn-" + writer + "-2"};
    start.await();
    for (int i = 0; i < WRITES_PER_WRITER; i++) {
      String session = sessions[random.nextInt(sessions.length)];
      String filter = CHURN_FILTERS.get(random.nextInt(CHURN_FILTERS.size()));
      switch (random.nextInt(4)) {
        case 0, 1 -> index.subscribe(subscription(session, filter,
            SubscriptionOptions.ofMaxQos(random.nextInt(3)).withSubscriptionIdentifier(1 + random.nextInt(9))));
        case 2 -> index.unsubscribe(session, TopicFilter.parse(filter));
        default -> index.removeSession(session);
      }
    }
    for (String session : sessions) {
      index.removeSession(session);
    }
    return null;
  }

  private static Subscription subscription(String clientId, String filter, SubscriptionOptions options) {
    return new Subscription(clientId, TopicFilter.parse(filter), options);
  }
}
