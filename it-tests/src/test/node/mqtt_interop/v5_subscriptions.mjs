// MQTT 5 only: topic aliases both ways, subscription identifiers and the subscription options (no local, retain as
// published, retain handling).
import { check, closed, equal, publish, quiet, subscribe } from './harness.mjs';

/** Client to server: a PUBLISH that sets an alias, then alias-only ones (empty topic), also after a re-mapping. */
async function topicAliasToServer(run) {
  const topicA = run.topic('alias/a');
  const topicB = run.topic('alias/b');
  const subscriber = await run.connectWithInbox();
  await subscribe(subscriber.client, run.topic('alias/#'), { qos: 1 });
  const { client, connack } = await run.connect();
  equal(connack.properties.topicAliasMaximum, run.limits.topicAliasMaximum, 'CONNACK Topic Alias Maximum');
  const wire = [];
  client.on('packetsend', (packet) => {
    if (packet.cmd === 'publish') {
      wire.push([packet.topic, packet.properties && packet.properties.topicAlias]);
    }
  });
  await publish(client, topicA, 'set-1', { qos: 1, properties: { topicAlias: 1 } });
  await publish(client, '', 'use-1', { qos: 1, properties: { topicAlias: 1 } });
  await publish(client, topicB, 'remap-1', { qos: 1, properties: { topicAlias: 1 } });
  await publish(client, '', 'use-remapped-1', { qos: 0, properties: { topicAlias: 1 } });
  equal(wire, [[topicA, 1], ['', 1], [topicB, 1], ['', 1]], 'PUBLISH topics and aliases MQTT.js sent');
  const messages = await subscriber.inbox.count(4, 'the four aliased publishes');
  equal(messages.map((m) => [m.topic, m.payload]),
    [[topicA, 'set-1'], [topicA, 'use-1'], [topicB, 'remap-1'], [topicB, 'use-remapped-1']],
    'topics the broker resolved');
  for (const m of messages) {
    check(!(m.packet.properties && m.packet.properties.topicAlias), 'a client alias forwarded to a subscriber');
  }
}

/**
 * Server to client: a client with a Topic Alias Maximum of 2 gets aliases (never above 2) and MQTT.js resolves them;
 * a client without one never gets an alias.
 */
async function topicAliasFromServer(run) {
  const aliased = await run.connectWithInbox({ properties: { topicAliasMaximum: 2 } });
  const plain = await run.connectWithInbox();
  const filter = run.topic('from/#');
  await subscribe(aliased.client, filter, { qos: 1 });
  await subscribe(plain.client, filter, { qos: 1 });
  const { client: publisher } = await run.connect();
  const sequence = ['t1', 't1', 't2', 't3', 't1', 't2', 't3'];
  for (const [i, suffix] of sequence.entries()) {
    await publish(publisher, run.topic(`from/${suffix}`), `${i}`, { qos: i % 2 });
  }
  const messages = await aliased.inbox.count(sequence.length, 'all messages to the aliasing client');
  equal(messages.map((m) => m.topic), sequence.map((suffix) => run.topic(`from/${suffix}`)),
    'topics MQTT.js resolved');
  const aliases = messages.map((m) => m.packet.properties && m.packet.properties.topicAlias);
  check(aliases.every((alias) => alias === undefined || (alias >= 1 && alias <= 2)),
    `an alias above the client's maximum of 2: ${aliases}`);
  check(messages.some((m) => m.packet.topic === '' && m.packet.properties.topicAlias),
    `no alias-only PUBLISH came: ${JSON.stringify(messages.map((m) => [m.packet.topic, m.packet.properties]))}`);
  equal(messages[0].packet.properties.topicAlias !== undefined && messages[0].packet.topic === run.topic('from/t1'),
    true, 'the first PUBLISH sets an alias with its full topic');
  const plainMessages = await plain.inbox.count(sequence.length, 'all messages to the client without aliases');
  for (const m of plainMessages) {
    check(!(m.packet.properties && m.packet.properties.topicAlias), 'an alias sent to a client that takes none');
    check(m.packet.topic !== '', 'an empty topic sent to a client that takes no aliases');
  }
}

/** An alias above the server's Topic Alias Maximum: DISCONNECT 0x94 (Topic Alias invalid), then the close. */
async function invalidTopicAlias(run) {
  const { client, connack } = await run.connect();
  const maximum = connack.properties.topicAliasMaximum;
  let disconnect = null;
  client.on('disconnect', (packet) => {
    disconnect = packet;
  });
  const isClosed = closed(client);
  // MQTT.js refuses to send an alias above the maximum itself, so the packet goes out below its own check
  client['_writePacket']({ cmd: 'publish', topic: run.topic('bad'), payload: Buffer.from('x'), qos: 0,
    properties: { topicAlias: maximum + 1 } });
  await isClosed;
  check(disconnect, 'closed without DISCONNECT');
  equal(disconnect.reasonCode, 0x94, 'DISCONNECT reason code');
}

/** The Subscription Identifier of a SUBSCRIBE comes with every message it delivers; none without one. */
async function subscriptionIdentifier(run) {
  const { client, inbox } = await run.connectWithInbox();
  await subscribe(client, run.topic('id/a/+'), { qos: 1, properties: { subscriptionIdentifier: 7 } });
  await subscribe(client, run.topic('id/b'), { qos: 1, properties: { subscriptionIdentifier: 268_435_455 } });
  await subscribe(client, run.topic('id/c'), { qos: 0 });
  const { client: publisher } = await run.connect();
  await publish(publisher, run.topic('id/a/1'), 'a', { qos: 1 });
  await publish(publisher, run.topic('id/b'), 'b', { qos: 1 });
  await publish(publisher, run.topic('id/c'), 'c', { qos: 1 });
  const messages = await inbox.count(3, 'a message per subscription');
  equal(messages.map((m) => [m.payload, m.packet.properties && m.packet.properties.subscriptionIdentifier]),
    [['a', 7], ['b', 268_435_455], ['c', undefined]], 'subscription identifiers on delivery');
}

/** No Local: the subscriber's own messages are not sent back to it; other clients' messages are. */
async function noLocal(run) {
  const self = await run.connectWithInbox();
  await subscribe(self.client, run.topic('nl/local'), { qos: 1, nl: true });
  await subscribe(self.client, run.topic('nl/echo'), { qos: 1, nl: false });
  await publish(self.client, run.topic('nl/local'), 'own', { qos: 1 });
  await publish(self.client, run.topic('nl/echo'), 'own-echo', { qos: 1 });
  const { client: other } = await run.connect();
  await publish(other, run.topic('nl/local'), 'other', { qos: 1 });
  await self.inbox.payload('other');
  await self.inbox.payload('own-echo');
  await quiet(); // its own message, wrongly delivered, would arrive within this pause
  check(!self.inbox.find('own'), 'a No Local subscription received its own message');
}

/** Retain As Published keeps the RETAIN flag of a live message; without it the flag is cleared. */
async function retainAsPublished(run) {
  const topic = run.topic('rap');
  const kept = await run.connectWithInbox();
  const cleared = await run.connectWithInbox();
  await subscribe(kept.client, topic, { qos: 1, rap: true });
  await subscribe(cleared.client, topic, { qos: 1, rap: false });
  const { client: publisher } = await run.connect();
  await publish(publisher, topic, 'retained-live', { qos: 1, retain: true });
  await publish(publisher, topic, 'plain-live', { qos: 1, retain: false });
  const viaKept = await kept.inbox.count(2, 'two messages with rap');
  const viaCleared = await cleared.inbox.count(2, 'two messages without rap');
  equal(viaKept.map((m) => [m.payload, m.packet.retain]), [['retained-live', true], ['plain-live', false]],
    'retain flags with Retain As Published');
  equal(viaCleared.map((m) => [m.payload, m.packet.retain]), [['retained-live', false], ['plain-live', false]],
    'retain flags without Retain As Published');
  await publish(publisher, topic, '', { qos: 1, retain: true }); // not left behind for other runs
}

/** Retain Handling 0: retained messages on every subscribe; 1: only on a new subscription; 2: never. */
async function retainHandling(run) {
  const topic = run.topic('rh');
  const { client: publisher } = await run.connect();
  await publish(publisher, topic, 'retained', { qos: 1, retain: true });
  const handlings = [0, 1, 2];
  const subscribers = [];
  for (const rh of handlings) {
    subscribers.push(await run.connectWithInbox());
  }
  for (const round of [1, 2]) { // the second SUBSCRIBE finds the subscription there already
    for (const rh of handlings) {
      equal(await subscribe(subscribers[rh].client, topic, { qos: 1, rh }), [{ topic, qos: 1 }],
        `SUBACK ${round} with Retain Handling ${rh}`);
    }
  }
  // a retained message comes right after its SUBACK, so before this live one
  await publish(publisher, topic, 'live', { qos: 1 });
  const expected = [['retained', 'retained', 'live'], ['retained', 'live'], ['live']];
  for (const rh of handlings) {
    const messages = await subscribers[rh].inbox.count(expected[rh].length, `messages with Retain Handling ${rh}`);
    equal(messages.map((m) => m.payload), expected[rh], `messages to a Retain Handling ${rh} subscription`);
    check(messages.slice(0, -1).every((m) => m.packet.retain), `a retained message without the RETAIN flag`);
  }
  await quiet(); // a retained copy sent late would arrive within this pause
  equal(subscribers.map((s) => s.inbox.payloads()), expected, 'messages to each subscription in the end');
  await publish(publisher, topic, '', { qos: 1, retain: true });
}

export const v5SubscriptionScenarios = [
  { name: 'topic-alias-to-server', versions: [5], run: topicAliasToServer },
  { name: 'topic-alias-from-server', versions: [5], run: topicAliasFromServer },
  { name: 'invalid-topic-alias', versions: [5], run: invalidTopicAlias, allowErrors: true },
  { name: 'subscription-identifier', versions: [5], run: subscriptionIdentifier },
  { name: 'no-local', versions: [5], run: noLocal },
  { name: 'retain-as-published', versions: [5], run: retainAsPublished },
  { name: 'retain-handling', versions: [5], run: retainHandling },
];
