// MQTT 5 only: message properties, message expiry, and the limits each side announces in CONNECT and CONNACK.
import { check, end, equal, publish, quiet, subscribe } from './harness.mjs';

/**
 * Message Expiry Interval: a message queued for an offline session is dropped once it expires; one still alive is
 * delivered with the interval lowered by the time it waited. A live delivery carries the interval.
 */
async function messageExpiry(run) {
  const topic = run.topic('expiry');
  const persistent = { clientId: run.clientId('expiry'), clean: false, properties: { sessionExpiryInterval: 300 } };
  const first = await run.connectWithInbox(persistent);
  await subscribe(first.client, topic, { qos: 1 });
  const { client: publisher } = await run.connect();
  await publish(publisher, topic, 'live', { qos: 1, properties: { messageExpiryInterval: 100 } });
  const live = await first.inbox.payload('live');
  const liveExpiry = live.packet.properties && live.packet.properties.messageExpiryInterval;
  check(liveExpiry >= 95 && liveExpiry <= 100, `expiry interval of a live delivery: ${liveExpiry}`);
  await end(first.client);

  await publish(publisher, topic, 'short-lived', { qos: 1, properties: { messageExpiryInterval: 1 } });
  await publish(publisher, topic, 'long-lived', { qos: 1, properties: { messageExpiryInterval: 100 } });
  await publish(publisher, topic, 'immortal', { qos: 1 });
  // the passing of time is what is tested: the first message's 1 s interval must run out while queued
  await new Promise((resolve) => setTimeout(resolve, 2_200));
  const second = await run.connectWithInbox(persistent);
  equal(second.connack.sessionPresent, true, 'session present');
  const messages = await second.inbox.count(2, 'the queued messages still alive');
  equal(messages.map((m) => m.payload), ['long-lived', 'immortal'], 'queued messages delivered (in order)');
  const remaining = messages[0].packet.properties && messages[0].packet.properties.messageExpiryInterval;
  check(remaining >= 90 && remaining <= 98, `expiry interval after waiting over 2 s: ${remaining} (sent 100)`);
  check(!(messages[1].packet.properties && messages[1].packet.properties.messageExpiryInterval),
    'an expiry interval on a message published without one');
}

/** User Properties reach the subscriber unaltered: order, repeated names and non-ASCII text included. */
async function userProperties(run) {
  const topic = run.topic('user');
  const { client, inbox } = await run.connectWithInbox();
  await subscribe(client, topic, { qos: 1 });
  const { client: publisher } = await run.connect();
  const sent = { region: 'eu-west', tag: ['first', 'second', 'third'], 'schlüssel': 'wert ✓', empty: '' };
  await publish(publisher, topic, 'with-properties', { qos: 1, properties: { userProperties: sent } });
  const [message] = await inbox.count(1, 'the message with user properties');
  equal(message.packet.properties && message.packet.properties.userProperties, sent, 'user properties');
}

/**
 * Request/response: Response Topic, Correlation Data (binary), Content Type and Payload Format Indicator arrive
 * unaltered; the responder answers on the response topic with the same correlation data.
 */
async function requestResponse(run) {
  const requests = run.topic('service/requests');
  const responses = run.topic('service/responses/requester');
  const correlation = Buffer.from([0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff]);
  const responder = await run.connectWithInbox();
  await subscribe(responder.client, requests, { qos: 1 });
  const requester = await run.connectWithInbox();
  await subscribe(requester.client, responses, { qos: 1 });

  const body = JSON.stringify({ question: 'größe?' });
  await publish(requester.client, requests, body, { qos: 1, properties: {
    responseTopic: responses, correlationData: correlation, contentType: 'application/json; charset=utf-8',
    payloadFormatIndicator: true } });
  const [request] = await responder.inbox.count(1, 'the request');
  const p = request.packet.properties || {};
  equal(request.payload, body, 'request payload');
  equal(p.responseTopic, responses, 'Response Topic');
  check(Buffer.isBuffer(p.correlationData) && p.correlationData.equals(correlation),
    `Correlation Data: ${p.correlationData && p.correlationData.toString('hex')}`);
  equal(p.contentType, 'application/json; charset=utf-8', 'Content Type');
  equal(p.payloadFormatIndicator, true, 'Payload Format Indicator');

  await publish(responder.client, p.responseTopic, 'answer', { qos: 1,
    properties: { correlationData: p.correlationData, payloadFormatIndicator: false } });
  const [response] = await requester.inbox.count(1, 'the response');
  equal(response.payload, 'answer', 'response payload');
  check(response.packet.properties.correlationData.equals(correlation), 'Correlation Data of the response');
  check(!response.packet.properties.payloadFormatIndicator, 'Payload Format Indicator of the response');
}

/**
 * Server Keep Alive: a keep alive above the broker's maximum, or 0, is lowered to it in CONNACK and MQTT.js adopts
 * it; one within the maximum is left alone (no Server Keep Alive).
 */
async function serverKeepAlive(run) {
  const maximum = run.limits.maxKeepAlive;
  for (const asked of [maximum * 4, 0]) {
    const { client, connack } = await run.connect({ keepalive: asked });
    equal(connack.properties.serverKeepAlive, maximum, `Server Keep Alive for a keep alive of ${asked}`);
    if (asked > 0) {
      equal(client.keepalive, maximum, 'the keep alive MQTT.js uses');
    }
    await end(client);
  }
  const { connack } = await run.connect({ keepalive: Math.max(1, maximum - 10) });
  check(connack.properties.serverKeepAlive === undefined,
    `Server Keep Alive for a keep alive within the maximum: ${connack.properties.serverKeepAlive}`);
}

/** Maximum Packet Size from the client: a larger delivery is not sent to it (MQTT-3.1.2-25), smaller ones are. */
async function maximumPacketSize(run) {
  const topic = run.topic('size');
  const small = await run.connectWithInbox({ properties: { maximumPacketSize: 256 } });
  const large = await run.connectWithInbox();
  await subscribe(small.client, topic, { qos: 1 });
  await subscribe(large.client, topic, { qos: 1 });
  const { client: publisher } = await run.connect();
  const big = 'x'.repeat(1_000);
  await publish(publisher, topic, 'before', { qos: 1 });
  await publish(publisher, topic, big, { qos: 1 });
  await publish(publisher, topic, big, { qos: 0 });
  await publish(publisher, topic, 'after', { qos: 1 });
  equal((await large.inbox.count(4, 'all four messages')).map((m) => m.payload.length), [6, 1_000, 1_000, 5],
    'payload sizes delivered without a maximum');
  await small.inbox.payload('after');
  await quiet(); // a large message sent late would arrive within this pause
  equal(small.inbox.payloads(), ['before', 'after'], 'messages delivered within a Maximum Packet Size of 256');
}

/**
 * Receive Maximum, both ways. The broker's, from its CONNACK: that many QoS 2 publishes at once, none awaited, are
 * all acknowledged. The client's, from CONNECT: MQTT.js disconnects a server that sends it more QoS 2 messages at
 * once than it allowed, so all messages arriving proves the broker kept to it. The publisher sends QoS 2, which
 * both windows count.
 */
async function receiveMaximum(run) {
  const { client, connack } = await run.connect();
  equal(connack.properties.receiveMaximum, run.limits.receiveMaximum, 'CONNACK Receive Maximum');
  const topic = run.topic('window');
  const slow = await run.connectWithInbox({ properties: { receiveMaximum: 2 } });
  let disconnect = null;
  slow.client.on('disconnect', (packet) => {
    disconnect = packet;
  });
  await subscribe(slow.client, topic, { qos: 2 });
  const sent = [];
  const acks = [];
  for (let i = 0; i < run.limits.receiveMaximum; i++) {
    sent.push(`${i}`);
    acks.push(publish(client, topic, `${i}`, { qos: 2 }));
  }
  const packets = await Promise.all(acks);
  check(packets.every((packet) => packet && packet.messageId > 0), 'a publish without an acknowledgement');
  check(client.connected, 'the publisher was disconnected');
  const received = await slow.inbox.count(sent.length, 'every message through a Receive Maximum of 2');
  equal(received.map((m) => m.payload), sent, 'messages in order');
  check(!disconnect && slow.client.connected, `the subscriber was disconnected: ${JSON.stringify(disconnect)}`);
}

/** Session Expiry Interval 0 (the MQTT 5 default): the session ends with the connection, even with clean 0. */
async function sessionExpiryZero(run) {
  const options = { clientId: run.clientId('short'), clean: false };
  const first = await run.connect(options);
  await subscribe(first.client, run.topic('gone'), { qos: 1 });
  await end(first.client);
  const second = await run.connect(options);
  equal(second.connack.sessionPresent, false, 'session present after an expiry interval of 0');
  const kept = { clientId: run.clientId('kept'), clean: false, properties: { sessionExpiryInterval: 60 } };
  const third = await run.connect(kept);
  await end(third.client, { properties: { sessionExpiryInterval: 0 } }); // DISCONNECT may shorten it to 0
  const fourth = await run.connect(kept);
  equal(fourth.connack.sessionPresent, false, 'session present after DISCONNECT set the expiry to 0');
}

export const v5MessageScenarios = [
  { name: 'message-expiry', versions: [5], run: messageExpiry },
  { name: 'user-properties', versions: [5], run: userProperties },
  { name: 'request-response-properties', versions: [5], run: requestResponse },
  { name: 'server-keep-alive', versions: [5], run: serverKeepAlive },
  { name: 'maximum-packet-size', versions: [5], run: maximumPacketSize },
  { name: 'receive-maximum', versions: [5], run: receiveMaximum },
  { name: 'session-expiry-zero', versions: [5], run: sessionExpiryZero },
];
