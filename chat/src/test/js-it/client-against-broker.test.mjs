// The JavaScript client against a running broker (BROKER_URL), run by JavaScriptClientIT with Node's WebSocket:
// publish and receive through credit, a start in history, resume after a lost connection with what was missed and
// nothing twice, and presence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BraidClient, text } from '../../main/resources/chat-web/braid-client.js';

const url = process.env.BROKER_URL;
const clients = [];

function client(clientId, presence) {
  const c = new BraidClient({ url, clientId, presence, reconnectDelayMs: [20, 100] });
  clients.push(c);
  return c;
}

function until(condition, what, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      if (condition()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(check, 10);
    };
    check();
  });
}

test.after(() => clients.forEach((c) => c.close()));

test('messages published through the broker arrive in order, with their positions, past the window', async () => {
  const alice = client('alice');
  const bob = client('bob');
  await alice.connect();
  await bob.connect();
  const received = [];
  await bob.subscribe('chat/rooms/order', { maxQos: 1 }, (m) => received.push(m));

  const acks = [];
  for (let i = 1; i <= 100; i++) acks.push(alice.publish('chat/rooms/order', `m${i}`));
  assert.deepEqual(new Set(await Promise.all(acks)), new Set([0]));
  await until(() => received.length === 100, '100 deliveries');

  assert.deepEqual(received.map((m) => text(m.payload)), Array.from({ length: 100 }, (_, i) => `m${i + 1}`));
  assert.deepEqual(received.map((m) => m.position.offset), Array.from({ length: 100 }, (_, i) => i + 1));
});

test('a subscription starting with the last messages gets them and a complete recovery', async () => {
  const carol = client('carol');
  await carol.connect();
  for (let i = 1; i <= 5; i++) await carol.publish('chat/rooms/history', `h${i}`);
  const dave = client('dave');
  await dave.connect();
  const received = [];
  const subscription = await dave.subscribe('chat/rooms/history', { startLast: 3 }, (m) => received.push(text(m.payload)));

  await until(() => received.length === 3, 'the last three');
  assert.deepEqual(received, ['h3', 'h4', 'h5']);
  assert.equal(subscription.recovery.status, 'complete');
});

test('after a lost connection the client resumes after its last position: what was missed, nothing twice', async () => {
  const erin = client('erin');
  const frank = client('frank');
  await erin.connect();
  await frank.connect();
  const received = [];
  const reports = [];
  const subscription = await frank.subscribe('chat/rooms/resume', { onRecovery: (r) => reports.push(r) },
    (m) => received.push(text(m.payload)));
  await erin.publish('chat/rooms/resume', 'before');
  await until(() => received.length === 1, 'the first message');

  const states = [];
  frank.onState((state) => states.push(state));
  frank.ws.close(); // the connection is lost
  await until(() => states.includes('reconnecting'), 'reconnecting');
  for (let i = 1; i <= 5; i++) await erin.publish('chat/rooms/resume', `missed${i}`);

  await until(() => received.length === 6, 'the missed messages');
  assert.deepEqual(received, ['before', 'missed1', 'missed2', 'missed3', 'missed4', 'missed5']);
  assert.equal(reports.length, 1);
  assert.equal(reports[0].status, 'complete');
  assert.equal(subscription.lastPosition.offset, 6);
});

test('a presence watcher sees the members with their info', async () => {
  const grace = client('grace', { nick: 'Grace' });
  await grace.connect();
  await grace.subscribe('chat/rooms/presence', {}, () => {});
  const watcher = client('watcher');
  await watcher.connect();
  const events = [];
  await watcher.subscribe('$presence/chat/rooms/presence', {}, (m) => events.push(JSON.parse(text(m.payload))));

  await until(() => events.length === 1, 'the snapshot');
  assert.deepEqual(events[0].members, [{ clientId: 'grace', info: { nick: 'Grace' } }]);
  grace.close();
  await until(() => events.length === 2, 'the leave');
  assert.equal(events[1].type, 'leave');
  assert.equal(events[1].reason, 'disconnected');
});
