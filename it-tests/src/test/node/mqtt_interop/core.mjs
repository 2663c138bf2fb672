// Connect, wildcard subscriptions, QoS 0/1/2 and retained messages: MQTT 3.1.1 and MQTT 5.
import { check, end, equal, publish, quiet, subscribe, within, WAIT_MS } from './harness.mjs';

/** CONNACK in the client's version: accepted, no session, and the limits Braid announces to MQTT 5 clients. */
async function connect(run) {
  const { client, connack } = await run.connect();
  check(client.connected, 'MQTT.js does not consider itself connected');
  equal(connack.sessionPresent, false, 'CONNACK session present of a clean connection');
  if (run.version === 5) {
    equal(connack.reasonCode, 0, 'CONNACK reason code');
    check(connack.properties && connack.properties.maximumPacketSize > 0,
      `CONNACK Maximum Packet Size: ${JSON.stringify(connack.properties)}`);
  } else {
    equal(connack.returnCode, 0, 'CONNACK return code');
    check(!connack.properties, `an MQTT 3.1.1 CONNACK with properties: ${JSON.stringify(connack.properties)}`);
  }
  await end(client);
  check(!client.connected, 'still connected after a normal end');
}

/** '+' matches exactly one level, '#' any number including none (the parent itself). */
async function wildcards(run) {
  const plus = await run.connectWithInbox();
  const hash = await run.connectWithInbox();
  equal(await subscribe(plus.client, run.topic('w/+/x'), { qos: 1 }), [{ topic: run.topic('w/+/x'), qos: 1 }],
    "SUBACK of 'w/+/x'");
  equal(await subscribe(hash.client, run.topic('w/#'), { qos: 1 }), [{ topic: run.topic('w/#'), qos: 1 }],
    "SUBACK of 'w/#'");
  const { client: publisher } = await run.connect();
  // one after the other, each acknowledged first: each subscriber gets its matches in this order
  for (const suffix of ['w/a/x', 'w/a/b/x', 'w', 'w/a', 'other/a/x', 'w/z/x']) {
    await publish(publisher, run.topic(suffix), suffix, { qos: 1 });
  }
  const viaPlus = await plus.inbox.payload('w/z/x');
  const viaHash = await hash.inbox.payload('w/z/x');
  check(viaPlus && viaHash, 'the last message did not arrive');
  equal(plus.inbox.payloads(), ['w/a/x', 'w/z/x'], "messages matching 'w/+/x'");
  equal(hash.inbox.payloads(), ['w/a/x', 'w/a/b/x', 'w', 'w/a', 'w/z/x'], "messages matching 'w/#'");
  equal(plus.inbox.messages.map((m) => m.topic), [run.topic('w/a/x'), run.topic('w/z/x')],
    "topics of the messages matching 'w/+/x'");
}

/** Each of QoS 0, 1 and 2 published to subscriptions granted 0, 1 and 2: delivered at the lower of the two. */
async function qosMatrix(run) {
  const topic = run.topic('q');
  const subscribers = [];
  for (const granted of [0, 1, 2]) {
    const subscriber = await run.connectWithInbox();
    equal(await subscribe(subscriber.client, topic, { qos: granted }), [{ topic, qos: granted }],
      `SUBACK of a QoS ${granted} subscription`);
    subscribers.push({ granted, ...subscriber });
  }
  const { client: publisher } = await run.connect();
  for (const qos of [0, 1, 2]) {
    const packet = await publish(publisher, topic, `q${qos}`, { qos });
    if (qos > 0) {
      check(packet && packet.messageId > 0, `QoS ${qos} publish without a packet identifier`);
    }
  }
  for (const { granted, inbox } of subscribers) {
    const messages = await inbox.count(3, `3 messages on a QoS ${granted} subscription`);
    equal(messages.map((m) => m.payload), ['q0', 'q1', 'q2'], `payloads on a QoS ${granted} subscription`);
    equal(messages.map((m) => m.packet.qos), [0, 1, 2].map((qos) => Math.min(qos, granted)),
      `delivered QoS on a QoS ${granted} subscription`);
    for (const m of messages) {
      check(!m.packet.dup && !m.packet.retain, `a live first delivery flagged dup or retain: ${m.payload}`);
      check(m.packet.qos === 0 || m.packet.messageId > 0, `a QoS ${m.packet.qos} delivery without packet id`);
    }
  }
}

/** A retained message reaches a later subscriber flagged retain; an empty retained payload clears it. */
async function retained(run) {
  const topic = run.topic('r');
  const { client: publisher } = await run.connect();
  await publish(publisher, topic, 'keep', { qos: 1, retain: true });

  const first = await run.connectWithInbox();
  equal(await subscribe(first.client, run.topic('#'), { qos: 1 }), [{ topic: run.topic('#'), qos: 1 }],
    'SUBACK');
  const [kept] = await first.inbox.count(1, 'the retained message');
  equal([kept.topic, kept.payload, kept.packet.retain, kept.packet.qos], [topic, 'keep', true, 1],
    'topic, payload, retain flag and QoS of the retained message');
  // a live message on a retained topic is flagged retain=false for a subscriber already there (MQTT-3.3.1-9)
  await publish(publisher, topic, 'replaced', { qos: 1, retain: true });
  const live = await first.inbox.payload('replaced');
  equal(live.packet.retain, false, 'retain flag of a live retained publish to an existing subscription');

  await publish(publisher, topic, '', { qos: 1, retain: true }); // clears it (MQTT-3.3.1-10)
  const second = await run.connectWithInbox();
  await subscribe(second.client, topic, { qos: 1 });
  // a retained message would come right after SUBACK, before any later live one
  await publish(publisher, topic, 'after-clear', { qos: 1 });
  const [firstSeen] = await second.inbox.count(1, 'the live message after the clear');
  equal([firstSeen.payload, firstSeen.packet.retain], ['after-clear', false],
    'first message to a subscriber after the retained message was cleared');
}

/**
 * An empty client identifier with a clean session: accepted; MQTT 5 is told the identifier the broker assigned
 * (Assigned Client Identifier), a different one per client, and the connection works.
 */
async function emptyClientId(run) {
  const a = await run.connectWithInbox({ clientId: '' });
  const b = await run.connect({ clientId: '' });
  if (run.version === 5) {
    const assignedA = a.connack.properties && a.connack.properties.assignedClientIdentifier;
    const assignedB = b.connack.properties && b.connack.properties.assignedClientIdentifier;
    check(typeof assignedA === 'string' && assignedA.length > 0,
      `no Assigned Client Identifier in CONNACK: ${JSON.stringify(a.connack.properties)}`);
    check(assignedA !== assignedB, `two clients were assigned the same identifier ${assignedA}`);
  } else {
    check(!a.connack.properties, 'an MQTT 3.1.1 CONNACK with properties');
  }
  const topic = run.topic('e');
  await subscribe(a.client, topic, { qos: 1 });
  await publish(b.client, topic, 'to-anonymous', { qos: 1 });
  await a.inbox.payload('to-anonymous');
}

/** UNSUBSCRIBE: no more messages for that filter, others unaffected; MQTT 5's UNSUBACK says if it existed. */
async function unsubscribe(run) {
  const { client, inbox } = await run.connect();
  await subscribe(client, [run.topic('u/gone'), run.topic('u/stays')], { qos: 1 });
  const unsuback = await within(new Promise((resolve, reject) => {
    client.unsubscribe([run.topic('u/gone'), run.topic('u/never')], (error, packet) => (error ? reject(error)
      : resolve(packet)));
  }), WAIT_MS, 'UNSUBACK');
  if (run.version === 5) {
    equal(unsuback && unsuback.granted, [0x00, 0x11], 'UNSUBACK reason codes (success, no subscription existed)');
  }
  const { client: publisher } = await run.connect();
  await publish(publisher, run.topic('u/gone'), 'unsubscribed', { qos: 1 });
  await publish(publisher, run.topic('u/stays'), 'subscribed', { qos: 1 });
  await inbox.payload('subscribed');
  await quiet(); // a message for the removed subscription would arrive within this pause
  equal(inbox.payloads(), ['subscribed'], 'messages after UNSUBSCRIBE');
}

export const coreScenarios = [
  { name: 'connect', versions: [4, 5], run: connect },
  { name: 'wildcards', versions: [4, 5], run: wildcards },
  { name: 'qos-matrix', versions: [4, 5], run: qosMatrix },
  { name: 'retained', versions: [4, 5], run: retained },
  { name: 'empty-client-id', versions: [4, 5], run: emptyClientId },
  { name: 'unsubscribe', versions: [4, 5], run: unsubscribe },
];
