// Wills, persistent sessions and shared subscriptions: MQTT 3.1.1 and MQTT 5.
import { check, closed, end, equal, publish, quiet, subscribe, untilAny, within, WAIT_MS } from './harness.mjs';

/** A client with a will, and an observer subscribed to the will's topic. */
async function willSetup(run, label) {
  const topic = run.topic(`will/${label}`);
  const observer = await run.connectWithInbox();
  await subscribe(observer.client, topic, { qos: 1 });
  const will = { topic, payload: Buffer.from(`gone-${label}`), qos: 1, retain: false };
  if (run.version === 5) {
    will.properties = { contentType: 'text/plain', userProperties: { why: label } };
  }
  const { client } = await run.connect({ will });
  return { topic, observer, client };
}

async function expectWill(run, observer, label) {
  const message = await observer.inbox.payload(`gone-${label}`);
  equal(message.packet.qos, 1, 'QoS of the will');
  if (run.version === 5) {
    equal([message.packet.properties.contentType, message.packet.properties.userProperties],
      ['text/plain', { why: label }], 'will properties');
  }
}

/** The connection dropped without DISCONNECT (the socket destroyed): the will is published. */
async function willOnDestroy(run) {
  const { observer, client } = await willSetup(run, 'destroy');
  client.stream.destroy();
  await expectWill(run, observer, 'destroy');
}

/** MQTT.js's forced end, end(true), closes without DISCONNECT: the will is published. */
async function willOnForcedEnd(run) {
  const { observer, client } = await willSetup(run, 'forced');
  client.end(true);
  await expectWill(run, observer, 'forced');
}

/** A normal end (DISCONNECT 0x00) discards the will. */
async function noWillOnNormalEnd(run) {
  const { topic, observer, client } = await willSetup(run, 'normal');
  await end(client);
  const { client: other } = await run.connect();
  await publish(other, topic, 'sentinel', { qos: 1 });
  await observer.inbox.payload('sentinel');
  await quiet(); // a will published late would arrive within this pause
  equal(observer.inbox.payloads(), ['sentinel'], 'messages on the will topic after a normal end');
}

/**
 * A persistent session (MQTT 3.1.1 clean session 0; MQTT 5 clean start 0 with a Session Expiry Interval) keeps its
 * subscription and queues QoS 1 messages while the client is away; the next connection with the same client id is
 * told the session is present and gets them, in order, at QoS 1; a clean connection then discards the session.
 */
async function sessionResume(run) {
  const clientId = run.clientId('persistent');
  const persistent = run.version === 5
    ? { clientId, clean: false, properties: { sessionExpiryInterval: 300 } }
    : { clientId, clean: false };
  const topic = run.topic('s');
  const first = await run.connect(persistent);
  equal(first.connack.sessionPresent, false, 'session present on the first connection');
  equal(await subscribe(first.client, topic, { qos: 1 }), [{ topic, qos: 1 }], 'SUBACK');
  await end(first.client);

  const { client: publisher } = await run.connect();
  for (const payload of ['offline-1', 'offline-2', 'offline-3']) {
    await publish(publisher, topic, payload, { qos: 1 });
  }

  const second = await run.connectWithInbox(persistent);
  equal(second.connack.sessionPresent, true, 'session present on reconnect');
  const messages = await second.inbox.count(3, 'the messages queued while offline');
  equal(messages.map((m) => [m.topic, m.payload, m.packet.qos]),
    [[topic, 'offline-1', 1], [topic, 'offline-2', 1], [topic, 'offline-3', 1]], 'queued messages');
  // the subscription is still there for live messages too
  await publish(publisher, topic, 'live', { qos: 1 });
  await second.inbox.payload('live');
  await end(second.client);

  const clean = await run.connect({ clientId, clean: true });
  equal(clean.connack.sessionPresent, false, 'session present on a clean connection');
}

/**
 * What the client never acknowledged is sent again to the next connection of the session (MQTT-4.4.0-1): a QoS 1
 * PUBLISH without PUBACK as a PUBLISH flagged DUP; a QoS 2 message whose PUBREL got no PUBCOMP as that PUBREL only,
 * never the message a second time. MQTT.js's handleMessage hook, never calling back, holds the acknowledgement.
 */
async function redeliveryAfterReconnect(run) {
  const clientId = run.clientId('redelivery');
  const persistent = run.version === 5
    ? { clientId, clean: false, properties: { sessionExpiryInterval: 300 } }
    : { clientId, clean: false };
  const topic = run.topic('unacked');
  const { client: publisher } = await run.connect();
  let session = await run.connect(persistent);
  await subscribe(session.client, topic, { qos: 2 });
  for (const qos of [1, 2]) {
    await end(session.client);
    const silent = await run.connect(persistent);
    const handled = new Promise((resolve) => {
      silent.client.handleMessage = (packet) => resolve(packet); // no callback: no PUBACK (QoS 1), no PUBCOMP (QoS 2)
    });
    await publish(publisher, topic, `unacked-${qos}`, { qos });
    const first = await within(handled, WAIT_MS, `the QoS ${qos} delivery to the client holding its acknowledgement`);
    equal([first.payload.toString(), first.qos, first.dup], [`unacked-${qos}`, qos, false], 'first delivery');
    silent.client.stream.destroy();
    await closed(silent.client);

    session = await run.connect(persistent);
    equal(session.connack.sessionPresent, true, 'session present');
    await publish(publisher, topic, `after-${qos}`, { qos: 1 });
    await session.inbox.payload(`after-${qos}`);
    if (qos === 1) {
      const [again] = session.inbox.messages;
      equal([again.payload, again.packet.qos, again.packet.dup], ['unacked-1', 1, true],
        'redelivery (payload, QoS, DUP)');
      equal(session.inbox.payloads(), ['unacked-1', 'after-1'], 'messages on the resumed session');
    } else {
      const pubrels = session.inbox.packets.filter((packet) => packet.cmd === 'pubrel');
      equal(pubrels.map((packet) => packet.messageId), [first.messageId], 'PUBRELs sent again on the resumed session');
      equal(session.inbox.payloads(), ['after-2'], 'messages on the resumed session (the QoS 2 one not twice)');
    }
  }
  await end(session.client);
  const last = await run.connect(persistent);
  await publish(publisher, topic, 'last', { qos: 1 });
  await last.inbox.payload('last');
  equal(last.inbox.payloads(), ['last'], 'messages once everything was acknowledged');
  check(!last.inbox.packets.some((packet) => packet.cmd === 'pubrel'), 'a PUBREL after its PUBCOMP');
}

/** $share/group/filter with two members: each message goes to exactly one of them, alternating between both. */
async function sharedSubscription(run) {
  const topic = run.topic('shared');
  const filter = `$share/g${run.version}/${topic}`;
  const members = [await run.connectWithInbox(), await run.connectWithInbox()];
  for (const member of members) {
    equal(await subscribe(member.client, filter, { qos: 1 }), [{ topic: filter, qos: 1 }], 'SUBACK of $share');
  }
  const { client: publisher } = await run.connect();
  const sent = [];
  for (let i = 0; i < 20; i++) {
    sent.push(`m${i}`);
    await publish(publisher, topic, `m${i}`, { qos: 1 });
  }
  const all = () => members[0].inbox.messages.length + members[1].inbox.messages.length;
  await untilAny(members.map((member) => member.inbox), () => all() >= sent.length, 'all shared messages')
    .catch(() => {
      throw new Error(`shared messages received: ${all()} of ${sent.length}`);
    });
  await quiet(); // a duplicate delivered to the second member would arrive within this pause
  const received = [...members[0].inbox.payloads(), ...members[1].inbox.payloads()];
  equal(received.length, sent.length, 'messages received by the group in total');
  equal([...received].sort(), [...sent].sort(), 'messages received by the group');
  check(members.every((member) => member.inbox.messages.length > 0),
    `one member got nothing: ${members.map((member) => member.inbox.messages.length)}`);
  for (const member of members) {
    for (const m of member.inbox.messages) {
      equal(m.topic, topic, 'topic of a shared delivery');
    }
  }
}

/** Keep alive enforced: a client that stops sending (MQTT.js's pings switched off) is cut off after 1.5 x. */
async function keepAliveTimeout(run) {
  const { client } = await run.connect({ keepalive: 1 });
  let disconnect = null;
  client.on('disconnect', (packet) => {
    disconnect = packet;
  });
  client['_destroyKeepaliveManager'](); // MQTT.js's own API has no switch for this: the client falls silent
  const started = Date.now();
  await closed(client);
  const elapsed = Date.now() - started;
  check(elapsed >= 1_000, `closed after only ${elapsed} ms of silence with a keep alive of 1 s`);
  if (run.version === 5) {
    check(disconnect && disconnect.reasonCode === 0x8d, `DISCONNECT: ${JSON.stringify(disconnect)} (expected 0x8D)`);
  }
}

export const sessionScenarios = [
  { name: 'will-on-destroy', versions: [4, 5], run: willOnDestroy },
  { name: 'will-on-forced-end', versions: [4, 5], run: willOnForcedEnd },
  { name: 'no-will-on-normal-end', versions: [4, 5], run: noWillOnNormalEnd },
  { name: 'session-resume', versions: [4, 5], run: sessionResume },
  { name: 'redelivery-after-reconnect', versions: [4, 5], run: redeliveryAfterReconnect },
  { name: 'shared-subscription', versions: [4, 5], run: sharedSubscription },
  { name: 'keep-alive-timeout', versions: [4, 5], run: keepAliveTimeout },
];
