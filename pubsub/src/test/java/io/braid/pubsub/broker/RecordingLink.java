package io.braid.pubsub.broker;

import io.braid.pubsub.topic.TopicFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A client connection in memory: records what the broker sends; writability is set by the test. */
final class RecordingLink implements ClientLink {

  final List<OutboundPublish> publishes = new CopyOnWriteArrayList<>();
  final List<Integer> pubRels = new CopyOnWriteArrayList<>();
  final List<DisconnectCause> closes = new CopyOnWriteArrayList<>();
  /** Subscriptions (by filter string) whose channel is stalled; the others follow {@link #writable}. */
  final Set<String> stalled = ConcurrentHashMap.newKeySet();
  volatile boolean writable = true;
  /** The largest payload the client takes, as a client's SETTINGS would say; larger ones are refused. */
  volatile int maxPayload = Integer.MAX_VALUE;
  /** Runs when the broker closes the link. */
  volatile Runnable onClose = () -> { };
  /** Runs for each publish sent, after it is recorded (a client that answers at once). */
  volatile java.util.function.Consumer<OutboundPublish> onPublish = publish -> { };

  @Override
  public boolean writable(TopicFilter subscription) {
    return writable && !stalled.contains(subscription.asString());
  }

  @Override
  public boolean sendPublish(OutboundPublish publish) {
    if (publish.message().payload().length > maxPayload) {
      return false;
    }
    publishes.add(publish);
    onPublish.accept(publish);
    return true;
  }

  @Override
  public void sendPubRel(TopicFilter subscription, int packetId) {
    pubRels.add(packetId);
  }

  @Override
  public void close(DisconnectCause cause) {
    closes.add(cause);
    onClose.run();
  }

  /** The payloads received, as strings, in order. */
  List<String> payloads() {
    List<String> payloads = new ArrayList<>();
    for (OutboundPublish publish : publishes) {
      payloads.add(new String(publish.message().payload(), java.nio.charset.StandardCharsets.UTF_8));
    }
    return payloads;
  }

  OutboundPublish last() {
    return publishes.get(publishes.size() - 1);
  }
}
