package io.braid.pubsub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.broker.BrokerFixture.Client;
import io.braid.pubsub.topic.TopicFilter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.RepeatedTest;

/**
 * A presence subscriber that subscribes while members come and go on other threads ends up, applying its snapshot
 * and then each event in order, with exactly the members the broker has: no ghost, no one missing.
 */
class PresenceConsistencyTest {

  private static final Pattern TYPE = Pattern.compile("\"type\":\"(\\w+)\"");
  private static final Pattern CLIENT = Pattern.compile("\"clientId\":\"([^\"]+)\"");

  @RepeatedTest(5)
  void snapshotThenEventsAlwaysAddUpToTheCurrentMembers() throws Exception {
    BrokerFixture fixture = new BrokerFixture().withPresence("room/+");
    ExecutorService threads = Executors.newFixedThreadPool(4);
    List<Client> watchers = new ArrayList<>();
    try {
      List<Future<?>> churn = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        int thread = t;
        churn.add(threads.submit(() -> {
          for (int i = 0; i < 200; i++) {
            Client member = fixture.connectClean("m" + thread + "-" + (i % 7));
            member.subscribe("room/1", 0);
            switch (ThreadLocalRandom.current().nextInt(3)) {
              case 0 -> member.session().unsubscribe(TopicFilter.parse("room/1"));
              case 1 -> member.session().connectionLost();
              default -> { } // stays until taken over by the next connection of its identifier
            }
          }
        }));
      }
      for (int i = 0; i < 20; i++) {
        Client watcher = fixture.connectClean("w" + i);
        watcher.subscribe("$presence/room/1", 0);
        watchers.add(watcher);
      }
      for (Future<?> future : churn) {
        future.get(30, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    Set<String> actual = members(fixture);
    for (Client watcher : watchers) {
      assertThat(replay(watcher)).as("what watcher %s knows", watcher.clientId()).isEqualTo(actual);
    }
  }

  /** The members as the broker's snapshot for a new watcher gives them. */
  private static Set<String> members(BrokerFixture fixture) {
    Client last = fixture.connectClean("final-watcher");
    last.subscribe("$presence/room/1", 0);
    return replay(last);
  }

  private static Set<String> replay(Client watcher) {
    Set<String> members = new HashSet<>();
    for (OutboundPublish publish : watcher.link().publishes) {
      String json = new String(publish.message().payload(), StandardCharsets.UTF_8);
      Matcher type = TYPE.matcher(json);
      assertThat(type.find()).isTrue();
      Matcher clients = CLIENT.matcher(json);
      switch (type.group(1)) {
        case "members" -> {
          members.clear();
          while (clients.find()) {
            members.add(clients.group(1));
          }
        }
        case "join" -> {
          assertThat(clients.find()).isTrue();
          assertThat(members.add(clients.group(1))).as("a join of a member already known: %s", json).isTrue();
        }
        default -> {
          assertThat(clients.find()).isTrue();
          assertThat(members.remove(clients.group(1))).as("a leave of an unknown member: %s", json).isTrue();
        }
      }
    }
    return members;
  }
}
