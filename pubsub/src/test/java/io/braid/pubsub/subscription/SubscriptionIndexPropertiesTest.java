package io.braid.pubsub.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.topic.NaiveMatcher;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * {@link SubscriptionIndex#route} against a brute-force reference: every (session, filter) checked with
 * {@link NaiveMatcher}, merged per session by the rules written out again in {@link #reference}. Non-shared only.
 */
class SubscriptionIndexPropertiesTest {

  private static final List<String> SESSIONS = List.of("s0", "s1", "s2");

  /** Subscribe (or, when {@code unsubscribe}, unsubscribe) {@code filter} for {@code clientId}. */
  record Operation(String clientId, String filter, SubscriptionOptions options, boolean unsubscribe) {
  }

  record Key(String clientId, String filter) {
  }

  @Property(tries = 300)
  void routeDeliversWhatTheBruteForceReferenceDelivers(
      @ForAll("operations") @Size(max = 40) List<Operation> operations,
      @ForAll("topicNames") @Size(min = 1, max = 10) List<String> topicNames,
      @ForAll("sessions") String publisher,
      @ForAll @IntRange(max = 2) int publishQos) {
    SubscriptionIndex index = new SubscriptionIndex();
    Map<Key, SubscriptionOptions> expected = new LinkedHashMap<>();
    for (Operation operation : operations) {
      TopicFilter filter = TopicFilter.parse(operation.filter());
      Key key = new Key(operation.clientId(), operation.filter());
      if (operation.unsubscribe()) {
        assertThat(index.unsubscribe(operation.clientId(), filter)).isEqualTo(expected.remove(key) != null);
      } else {
        assertThat(index.subscribe(new Subscription(operation.clientId(), filter, operation.options())))
            .isEqualTo(expected.put(key, operation.options()) == null);
      }
    }
    for (String topic : topicNames) {
      RouteResult result = index.route(TopicName.parse(topic), publisher, publishQos);
      assertThat(result.deliveries()).as("deliveries for %s", topic)
          .containsExactlyInAnyOrderElementsOf(reference(expected, TopicName.parse(topic), publisher, publishQos));
      assertThat(result.unavailableSharedGroups()).isZero();
    }
  }

  /** One delivery per session with a matching, non-suppressed subscription; highest QoS, OR, all identifiers. */
  private static List<Delivery> reference(Map<Key, SubscriptionOptions> subscriptions, TopicName topicName,
      String publisher, int publishQos) {
    NaiveMatcher<Key> matcher = new NaiveMatcher<>();
    subscriptions.keySet().forEach(key -> matcher.subscribe(TopicFilter.parse(key.filter()), key));
    List<Delivery> deliveries = new ArrayList<>();
    for (String session : SESSIONS) {
      int qos = -1;
      String subscription = null;
      boolean retainAsPublished = false;
      TreeSet<Integer> identifiers = new TreeSet<>();
      for (Key key : matcher.match(topicName)) {
        SubscriptionOptions options = subscriptions.get(key);
        if (!key.clientId().equals(session) || (options.noLocal() && session.equals(publisher))) {
          continue;
        }
        int granted = Math.min(publishQos, options.maxQos());
        if (granted > qos || granted == qos && key.filter().compareTo(subscription) < 0) {
          subscription = key.filter();
        }
        qos = Math.max(qos, granted);
        retainAsPublished |= options.retainAsPublished();
        if (options.subscriptionIdentifier() != 0) {
          identifiers.add(options.subscriptionIdentifier());
        }
      }
      if (qos >= 0) {
        deliveries.add(new Delivery(session, TopicFilter.parse(subscription), qos, retainAsPublished,
            List.copyOf(identifiers)));
      }
    }
    return deliveries;
  }

  @Provide
  Arbitrary<String> sessions() {
    return Arbitraries.of(SESSIONS);
  }

  @Provide
  Arbitrary<List<Operation>> operations() {
    Arbitrary<String> filter = Arbitraries.of("a", "b", "+", "$s").list().ofMinSize(1).ofMaxSize(3)
        .map(levels -> String.join("/", levels));
    Arbitrary<String> anyFilter = Arbitraries.oneOf(filter, filter.map(f -> f + "/#"), Arbitraries.of("#"));
    Arbitrary<SubscriptionOptions> options = Combinators.combine(
            Arbitraries.integers().between(0, 2),
            Arbitraries.of(true, false),
            Arbitraries.of(true, false),
            Arbitraries.integers().between(0, 4))
        .as((maxQos, noLocal, retainAsPublished, identifier) ->
            new SubscriptionOptions(maxQos, noLocal, retainAsPublished, 0, identifier));
    return Combinators.combine(sessions(), anyFilter, options, Arbitraries.of(false, false, false, true))
        .as(Operation::new).list();
  }

  @Provide
  Arbitrary<List<String>> topicNames() {
    return Arbitraries.of("a", "b", "c", "$s").list().ofMinSize(1).ofMaxSize(4)
        .map(levels -> String.join("/", levels)).list();
  }
}
