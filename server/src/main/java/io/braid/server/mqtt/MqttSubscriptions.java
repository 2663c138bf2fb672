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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SUBSCRIBE and UNSUBSCRIBE of one connected MQTT client (§3.8-3.11): each filter through the
 * {@link SubscribeGate}, into the session, and a reason code per filter in SUBACK (MQTT 3.1.1: the granted QoS or
 * 0x80) and UNSUBACK (MQTT 5 only). Deliveries wait while a SUBACK is prepared, so the retained messages a
 * subscription sends follow it (§3.8.4). Confined to the connection's event loop.
 */
final class MqttSubscriptions {

  private static final Logger log = LoggerFactory.getLogger(MqttSubscriptions.class);

  private final MqttOutput output;
  private final ConnectedClient client;
  private final SessionHandle session;
  private final SubscribeGate gate;
  private final MqttDeliveries deliveries;

  MqttSubscriptions(MqttOutput output, ConnectedClient client, SubscribeGate gate, MqttDeliveries deliveries) {
    this.output = output;
    this.client = client;
    this.session = client.session();
    this.gate = gate;
    this.deliveries = deliveries;
  }

  void onSubscribe(MqttPacket.Subscribe subscribe) {
    List<Integer> identifiers = subscribe.properties().subscriptionIdentifiers();
    int identifier = identifiers.isEmpty() ? SubscriptionOptions.NO_SUBSCRIPTION_IDENTIFIER : identifiers.get(0);
    List<Integer> codes = new ArrayList<>(subscribe.subscriptions().size());
    List<String> refusals = new ArrayList<>();
    deliveries.hold();
    try {
      for (MqttPacket.Subscription subscription : subscribe.subscriptions()) {
        codes.add(subscribe(subscription, identifier, refusals));
      }
      String reason = refusals.isEmpty() ? null : String.join("; ", refusals);
      output.send(new MqttPacket.SubAck(subscribe.packetId(), codes, output.reasonOnAck(reason)));
    } finally {
      deliveries.release();
    }
  }

  /** One filter of a SUBSCRIBE: the granted QoS, or the reason code of its refusal. */
  private int subscribe(MqttPacket.Subscription subscription, int identifier, List<String> refusals) {
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
    return subscription.qos();
  }

  private int refusal(int reasonCode) {
    return output.v5() ? reasonCode : MqttReasonCodes.V3_SUBACK_FAILURE;
  }

  void onUnsubscribe(MqttPacket.Unsubscribe unsubscribe) {
    List<Integer> codes = new ArrayList<>(unsubscribe.filters().size());
    for (String text : unsubscribe.filters()) {
      SubscribeGate.Verdict verdict = gate.parse(text, false);
      if (verdict instanceof SubscribeGate.Accept accepted) {
        codes.add(session.unsubscribe(accepted.filter()) ? ReasonCode.SUCCESS : ReasonCode.NO_SUBSCRIPTION_EXISTED);
      } else {
        codes.add(((SubscribeGate.Refuse) verdict).reasonCode());
      }
    }
    output.send(new MqttPacket.UnsubAck(unsubscribe.packetId(), output.v5() ? codes : List.of(),
        MqttProperties.NONE));
  }
}
