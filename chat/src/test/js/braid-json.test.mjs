// The JavaScript codec against the shared protocol vectors (protocol/src/test/resources/vectors): every message
// vector's JSON decodes, and encodes back to the same JSON; the byte fields come out as the vectors' bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import {
  decodeFrame, decodeMessage, encodeFrame, encodeMessage, MalformedError, parseJson, utf8,
} from '../../main/resources/chat-web/braid-json.js';

const here = dirname(fileURLToPath(import.meta.url));
const vectors = join(here, '../../../../protocol/src/test/resources/vectors/messages');
const names = readdirSync(vectors).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();

test('there are vectors to check', () => {
  assert.ok(names.length >= 35, `found ${names.length}`);
});

for (const name of names) {
  test(`vector ${name}: decodes and encodes back to the same JSON`, () => {
    const text = readFileSync(join(vectors, `${name}.json`), 'utf8');
    const message = decodeMessage(text);
    assert.deepEqual(parseJson(encodeMessage(message)), parseJson(text));
  });
}

test('a base64 payload decodes to its bytes and is written as base64 again', () => {
  const message = decodeMessage(readFileSync(join(vectors, 'publish-qos1-binary.json'), 'utf8'));
  assert.deepEqual([...message.payload], [0x00, 0xff, 0x10]);
  assert.equal(message.qos, 1);
  assert.equal(message.packetId, 300);
  assert.match(encodeMessage(message), /"encoding":"base64"/);
});

test('a text payload is written as utf8, defaults are left out', () => {
  const text = encodeMessage({ type: 'publish', topic: 'a/b', payload: utf8('hé'), qos: 0 });
  assert.equal(text, '{"type":"publish","topic":"a/b","payload":"hé","encoding":"utf8"}');
});

test('a history position beyond 2^53 keeps every digit', () => {
  const message = decodeMessage('{"type":"publish","topic":"t","payload":"","encoding":"utf8",'
    + '"position":{"epoch":"e","offset":9223372036854775807}}');
  assert.equal(message.position.offset, 9223372036854775807n);
  assert.match(encodeMessage(message), /"offset":9223372036854775807/);
});

test('the recovery report of a SUBACK is read with its gap', () => {
  const message = decodeMessage(readFileSync(join(vectors, 'suback-gap.json'), 'utf8'));
  assert.equal(message.recovery.status, 'gap');
  assert.equal(message.recovery.reason, 'trimmed');
  assert.equal(message.recovery.gapFrom, 11);
  assert.equal(message.recovery.gapTo, 999);
  assert.equal(message.recovery.latest.offset, 1500);
});

const malformed = [
  ['{"type":"publish","topic":"a","payload":"","encoding":"utf8","retian":true}', 'publish.retian: unknown field'],
  ['{"type":"publish","topic":"a","payload":"","encoding":"utf8","qos":3}', 'publish.qos: must be 0..2, was 3'],
  ['{"type":"publish","topic":"a","payload":"","encoding":"utf8","qos":1}', 'publish.packetId: missing (required at QoS 1 and 2)'],
  ['{"type":"publish","payload":"","encoding":"utf8"}', 'publish.topic: missing'],
  ['{"type":"publish","topic":"a","payload":"","encoding":"utf16"}', 'publish.encoding: must be "utf8" or "base64"'],
  ['{"type":"pingreq"}', "message.type: unknown type 'pingreq'"],
  ['{"type":"subscribe","topicFilter":"a","startLast":1,"startSince":5}', 'subscribe.startAfter: at most one of startAfter, startLast, startSince'],
  ['{"type":"subscribe","topicFilter":"a","overflow":"drop_oldest"}', 'subscribe.overflow: must be "drop-oldest", "drop-newest", "conflate" or "disconnect"'],
  ['{"type":"suback","recovery":{"status":"gap","gapFrom":1,"gapTo":2}}', 'suback.recovery.reason: present exactly when the status is "gap"'],
  ['{"type":"ping","type":"pong"}', "message: not valid JSON: duplicate field 'type' at 21"],
];
for (const [json, expected] of malformed) {
  test(`refuses ${json}`, () => {
    assert.throws(() => decodeMessage(json), (e) => e instanceof MalformedError && e.message === expected);
  });
}

test('the frames of PROTOCOL.md 5.3 decode and encode back', () => {
  const frames = [
    '{"stream":0,"frame":"settings","settings":{"initialStreamWindow":32,"initialConnectionWindow":256,"maxConcurrentStreams":100,"maxFramePayload":1048576}}',
    '{"stream":1,"message":{"type":"subscribe","topicFilter":"chat/#"}}',
    '{"stream":1,"frame":"reset","error":"cancel"}',
    '{"stream":0,"frame":"window_update","increment":16}',
    '{"stream":0,"frame":"goaway","lastStreamId":7,"error":"reconnect","reason":"rolling restart","serverReference":"node-b:8080"}',
  ];
  for (const text of frames) {
    assert.deepEqual(parseJson(encodeFrame(decodeFrame(text))), parseJson(text), text);
  }
});

test('a bad message in a data frame is the frame\'s message error, not a connection error', () => {
  const frame = decodeFrame('{"stream":3,"message":{"type":"publish","topic":1}}');
  assert.equal(frame.stream, 3);
  assert.equal(frame.messageError.message, 'publish.topic: must be a string');
});
