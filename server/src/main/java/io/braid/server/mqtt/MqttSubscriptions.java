package io.braid.server.mqtt;

import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.mqtt.MqttPacket;
import io.braid.protocol.mqtt.MqttProperties;
import io.braid.protocol.mqtt.MqttReasonCodes;
import io.braid.pubsub.broker.SessionHandle;
import io.braid.pubsub.history.StartFrom;
import io.braid.pubsub.subscription.SubscriptionOptions;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.server.frontend.ConnectedClient;
import io.braid.server.frontend.SubscribeGate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SUBSCRIBE and UNSUBSCRIBE of one connected MQTT client (§3.8-3.11): each filter through the
 * {@link SubscribeGate}, into the session, and a reason code per filter in SUBACK (MQTT 3.1.1: the granted QoS or
 * 0x80) and UNSUBACK (MQTT 5 only). A persistent session's acknowledgement waits until the store holds its new
 * subscriptions, so that none is forgotten in a crash once acknowledged. Deliveries wait while a SUBACK is prepared,
 * so the retained messages a subscription sends follow it (§3.8.4). Confined to the connection's event loop.
 */
final class MqttSubscriptions {

  private static final Logger log = LoggerFactory.getLogger(MqttSubscriptions.class);

  private final MqttOutput output;
  private final ConnectedClient client;
  private final SessionHandle session;
  private final SubscribeGate gate;
  private final MqttDeliveries deliveries;
  private final Executor loop;

  MqttSubscriptions(MqttOutput output, ConnectedClient client, SubscribeGate gate, MqttDeliveries deliveries,
      Executor loop) {
    this.output = output;
    this.client = client;
    this.session = client.session();
    this.gate = gate;
    this.deliveries = deliveries;
    this.loop = loop;
  }

  /**
   * Subscribes each filter, then answers SUBACK once the session's new state is durable (a persistent session's
   * subscriptions must survive a crash once acknowledged); deliveries wait until then.
   */
  void onSubscribe(MqttPacket.Subscribe subscribe) {
    List<Integer> identifiers = subscribe.properties().subscriptionIdentifiers();
    int identifier = identifiers.isEmpty() ? SubscriptionOptions.NO_SUBSCRIPTION_IDENTIFIER : identifiers.get(0);
    List<Integer> codes = new ArrayList<>(subscribe.subscriptions().size());
    List<TopicFilter> subscribed = new ArrayList<>();
    List<String> refusals = new ArrayList<>();
    deliveries.hold();
    try {
      for (MqttPacket.Subscription subscription : subscribe.subscriptions()) {
        codes.add(subscribe(subscription, identifier, refusals, subscribed));
      }
    } catch (RuntimeException | Error e) {
      deliveries.release();
      throw e;
    }
    durable(subscribed).whenComplete((done, failure) -> loop.execute(() -> {
      try {
        if (failure != null) {
          unstored(subscribed, failure, codes, refusals);
        }
        String reason = refusals.isEmpty() ? null : String.join("; ", refusals);
        output.send(new MqttPacket.SubAck(subscribe.packetId(), codes, output.reasonOnAck(reason)));
      } finally {
        deliveries.release();
      }
    }));
  }

  private CompletableFuture<Void> durable(List<TopicFilter> changed) {
    return changed.isEmpty() ? CompletableFuture.completedFuture(null) : session.stateDurable();
  }

  /** The store could not keep the new subscriptions: they are undone and refused with 0x80. */
  private void unstored(List<TopicFilter> subscribed, Throwable failure, List<Integer> codes, List<String> refusals) {
    log.warn("subscriptions of client_id={} not stored, refused: {}", client.clientId(), failure.toString());
    for (TopicFilter filter : subscribed) {
      session.unsubscribe(filter);
    }
    for (int i = 0; i < codes.size(); i++) {
      if (codes.get(i) < ReasonCode.UNSPECIFIED_ERROR) { // a granted QoS; failures are 0x80 and above
        codes.set(i, refusal(ReasonCode.UNSPECIFIED_ERROR));
      }
    }
    refusals.add("the subscription could not be stored");
  }

  /** One filter of a SUBSCRIBE: the granted QoS, or the reason code of its refusal. */
  private int subscribe(MqttPacket.Subscription subscription, int identifier, List<String> refusals,
      List<TopicFilter> subscribed) {
    SubscribeGate.Verdict verdict = gate.parse(subscription.filter(), subscription.noLocal());
    if (verdict instanceof SubscribeGate.Accept accepted) {
      verdict = gate.authorize(accepted.filter());
    }
    if (verdict instanceof SubscribeGate.Refuse refused) {
      refusals.add(subscription.filter() + ": " + refused.reason());
      return refusal(refused.reasonCode());
    }
    TopicFilter filter = ((SubscribeGate.Accept) verdict).filter();
    SessionHandle.SubscribeResult result = session.subscribe(filter, MqttMapping.toOptions(subscription, identifier),
        StartFrom.NOW);
    if (result.refusal() != null) {
      log.info("subscribe refused client_id={} filter={}: {}", client.clientId(), filter, result.refusal());
      refusals.add(subscription.filter() + ": " + result.refusal());
      return refusal(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR);
    }
    subscribed.add(filter);
    return subscription.qos();
  }

  private int refusal(int reasonCode) {
    return output.v5() ? reasonCode : MqttReasonCodes.V3_SUBACK_FAILURE;
  }

  /** Unsubscribes each filter, then answers UNSUBACK once the session's new state is durable. */
  void onUnsubscribe(MqttPacket.Unsubscribe unsubscribe) {
    List<Integer> codes = new ArrayList<>(unsubscribe.filters().size());
    List<TopicFilter> removed = new ArrayList<>();
    for (String text : unsubscribe.filters()) {
      SubscribeGate.Verdict verdict = gate.parse(text, false);
      if (verdict instanceof SubscribeGate.Accept accepted) {
        boolean existed = session.unsubscribe(accepted.filter());
        if (existed) {
          removed.add(accepted.filter());
        }
        codes.add(existed ? ReasonCode.SUCCESS : ReasonCode.NO_SUBSCRIPTION_EXISTED);
      } else {
        codes.add(((SubscribeGate.Refuse) verdict).reasonCode());
      }
    }
    durable(removed).whenComplete((done, failure) -> loop.execute(() -> {
      if (failure != null) {
        // gone here, but the store may bring them back after a restart: the client is told so
        log.warn("unsubscriptions of client_id={} not stored: {}", client.clientId(), failure.toString());
        codes.replaceAll(code -> code == ReasonCode.SUCCESS ? ReasonCode.UNSPECIFIED_ERROR : code);
      }
      output.send(new MqttPacket.UnsubAck(unsubscribe.packetId(), output.v5() ? codes : List.of(),
          MqttProperties.NONE));
    }));
  }
}
