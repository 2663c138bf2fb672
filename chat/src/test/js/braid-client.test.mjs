// The JavaScript client's stream layer against a scripted broker (a fake WebSocket): it never sends past its credit,
// returns credit as it takes messages, and resumes a topic subscription after its last position on a new connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BraidClient } from '../../main/resources/chat-web/braid-client.js';
import { decodeFrame, encodeFrame, utf8 } from '../../main/resources/chat-web/braid-json.js';

/** A WebSocket that records what the client sends and lets the test answer as the broker. */
class FakeSocket {
  static sockets = [];

  constructor(url, protocol) {
    this.url = url;
    this.protocol = protocol;
    this.readyState = 1;
    this.sent = [];
    FakeSocket.sockets.push(this);
    queueMicrotask(() => this.onopen?.());
  }

  send(text) {
    this.sent.push(decodeFrame(text));
  }

  close() {
    this.readyState = 3;
    this.onclose?.();
  }

  /** The broker sends `frame`. */
  receive(frame) {
    this.onmessage?.({ data: encodeFrame(frame) });
  }

  data(stream) {
    return this.sent.filter((f) => f.frame === 'data' && f.stream === stream).map((f) => f.message);
  }
}

async function connected(options = {}) {
  FakeSocket.sockets = [];
  const client = new BraidClient({ url: 'ws://broker/braid', clientId: 'c', WebSocket: FakeSocket,
    reconnectDelayMs: [1, 1], keepAlive: 0, ...options });
  const connecting = client.connect();
  await new Promise((resolve) => setTimeout(resolve, 0));
  const ws = FakeSocket.sockets[0];
  ws.receive({ stream: 0, frame: 'settings', settings: {} });
  ws.receive({ stream: 0, message: { type: 'connack' } });
  await connecting;
  return { client, ws };
}

test('the first frames are SETTINGS, then CONNECT with the presence info', async () => {
  const { ws } = await connected({ presence: { nick: 'Al' } });
  assert.equal(ws.protocol, 'braid.v1.json');
  assert.equal(ws.sent[0].frame, 'settings');
  const connect = ws.sent[1].message;
  assert.equal(connect.type, 'connect');
  assert.deepEqual(connect.userProperties, [{ name: 'braid.presence', value: '{"nick":"Al"}' }]);
});

test('publishes wait for the stream credit the broker grants', async () => {
  const { client, ws } = await connected();
  for (let i = 0; i < 40; i++) client.publish('t', `m${i}`);

  assert.equal(ws.data(1).length, 32, 'the initial stream window of 32');
  ws.receive({ stream: 1, frame: 'window_update', increment: 5 });
  assert.equal(ws.data(1).length, 37);
});

test('a QoS 1 publish resolves on its PUBACK and rejects on a refusal', async () => {
  const { client, ws } = await connected();
  const ok = client.publish('t', 'fine');
  const refused = client.publish('t', 'too fast');
  const [first, second] = ws.data(1);

  ws.receive({ stream: 1, message: { type: 'puback', packetId: first.packetId } });
  ws.receive({ stream: 1, message: { type: 'puback', packetId: second.packetId, reasonCode: 0x97, reasonString: 'rate' } });

  assert.equal(await ok, 0);
  await assert.rejects(refused, (e) => e.reasonCode === 0x97 && e.reasonString === 'rate');
});

test('credit goes back once half a window of deliveries was taken', async () => {
  const { client, ws } = await connected();
  const got = [];
  const subscribing = client.subscribe('t', { maxQos: 0 }, (m) => got.push(m));
  ws.receive({ stream: 1, message: { type: 'suback' } });
  await subscribing;
  for (let i = 0; i < 14; i++) ws.receive({ stream: 1, message: { type: 'publish', topic: 't', payload: utf8(`m${i}`) } });

  assert.equal(ws.sent.filter((f) => f.frame === 'window_update' && f.stream === 1).length, 0);
  ws.receive({ stream: 1, message: { type: 'publish', topic: 't', payload: utf8('m14') } });
  assert.deepEqual(ws.sent.filter((f) => f.frame === 'window_update' && f.stream === 1).map((f) => f.increment), [16],
    'the SUBACK and 15 deliveries: 16 taken');
  assert.equal(got.length, 15);
});

test('a topic subscription resumes after its last position on the next connection', async () => {
  const { client, ws } = await connected();
  const reports = [];
  const subscribing = client.subscribe('chat/rooms/1', { startLast: 10, onRecovery: (r) => reports.push(r) }, () => {});
  assert.equal(ws.data(1)[0].startLast, 10);
  ws.receive({ stream: 1, message: { type: 'suback', reasonCode: 1, recovery: { status: 'complete' } } });
  await subscribing;
  ws.receive({ stream: 1, message: { type: 'publish', topic: 'chat/rooms/1', payload: utf8('x'), qos: 1, packetId: 1,
    position: { epoch: 'e1', offset: 41 } } });

  ws.close();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const again = FakeSocket.sockets[1];
  again.receive({ stream: 0, frame: 'settings', settings: {} });
  again.receive({ stream: 0, message: { type: 'connack' } });

  const resume = again.data(1)[0];
  assert.deepEqual(resume.startAfter, { epoch: 'e1', offset: 41 });
  assert.equal(resume.startLast, null);
  again.receive({ stream: 1, message: { type: 'suback', reasonCode: 1,
    recovery: { status: 'gap', gapFrom: 42, gapTo: 50, reason: 'trimmed' } } });
  assert.equal(reports.length, 1);
  assert.equal(reports[0].gapFrom, 42);
});

test('a publish made while disconnected goes out on the next connection', async () => {
  const { client, ws } = await connected();
  ws.close();
  const pending = client.publish('t', 'later');
  await new Promise((resolve) => setTimeout(resolve, 20));
  const again = FakeSocket.sockets[1];
  again.receive({ stream: 0, frame: 'settings', settings: {} });
  again.receive({ stream: 0, message: { type: 'connack' } });

  const [publish] = again.data(1);
  assert.equal(new TextDecoder().decode(publish.payload), 'later');
  again.receive({ stream: 1, message: { type: 'puback', packetId: publish.packetId } });
  assert.equal(await pending, 0);
});
