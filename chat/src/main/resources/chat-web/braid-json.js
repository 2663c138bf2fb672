// The JSON encoding of Braid messages and frames (docs/PROTOCOL.md 5.3 and 6.4), for browsers and Node.
// A message is a plain object: its JSON fields with their defaults filled in; byte fields (payload,
// correlationData, password, authData, data) are Uint8Arrays; an absent optional value is null;
// integers beyond 2^53 (history offsets, times) are BigInts. Stateless.

const UTF8_DECODER = new TextDecoder('utf-8', { fatal: true });
const UTF8_ENCODER = new TextEncoder();

/** A message or frame that breaks a rule; `field` names where ("publish.qos"). */
export class MalformedError extends Error {
  constructor(field, reason) {
    super(`${field}: ${reason}`);
    this.field = field;
    this.reason = reason;
  }
}

// ------------------------------------------------------------------------------------------ JSON text

/**
 * Parses JSON text (RFC 8259) like JSON.parse, but an integer beyond Number.MAX_SAFE_INTEGER becomes a BigInt
 * (no precision lost), and a name given twice in one object is refused.
 */
export function parseJson(text) {
  let i = 0;
  const fail = (what) => { throw new MalformedError('message', `not valid JSON: ${what} at ${i}`); };
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i])) i++; };
  const value = () => {
    ws();
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === 't' && text.startsWith('true', i)) { i += 4; return true; }
    if (c === 'f' && text.startsWith('false', i)) { i += 5; return false; }
    if (c === 'n' && text.startsWith('null', i)) { i += 4; return null; }
    return number();
  };
  const object = () => {
    i++;
    const result = {};
    ws();
    if (text[i] === '}') { i++; return result; }
    for (;;) {
      ws();
      if (text[i] !== '"') fail('a name expected');
      const name = string();
      if (Object.prototype.hasOwnProperty.call(result, name)) fail(`duplicate field '${name}'`);
      ws();
      if (text[i++] !== ':') fail("':' expected");
      result[name] = value();
      ws();
      if (text[i] === ',') { i++; continue; }
      if (text[i] === '}') { i++; return result; }
      fail("',' or '}' expected");
    }
  };
  const array = () => {
    i++;
    const result = [];
    ws();
    if (text[i] === ']') { i++; return result; }
    for (;;) {
      result.push(value());
      ws();
      if (text[i] === ',') { i++; continue; }
      if (text[i] === ']') { i++; return result; }
      fail("',' or ']' expected");
    }
  };
  const string = () => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      i++;
    }
    if (i >= text.length) fail('unterminated string');
    i++;
    return JSON.parse(text.slice(start, i));
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match) fail('a value expected');
    i += match[0].length;
    if (!match[2] && !match[3]) {
      const n = Number(match[0]);
      return Number.isSafeInteger(n) ? n : BigInt(match[0]);
    }
    return Number(match[0]);
  };
  const result = value();
  ws();
  if (i !== text.length) fail('text after the value');
  return result;
}

/** JSON text of `value`, BigInts written as integers. */
export function stringifyJson(value) {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map(stringifyJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${stringifyJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

// ------------------------------------------------------------------------------------------ bytes

export function utf8(text) {
  return UTF8_ENCODER.encode(text);
}

function isUtf8(bytes) {
  try { UTF8_DECODER.decode(bytes); return true; } catch { return false; }
}

function toBase64(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(field, text) {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new MalformedError(field, 'must be a base64 string');
  const padded = text + '='.repeat((4 - (text.length % 4)) % 4);
  let binary;
  try { binary = atob(padded); } catch { throw new MalformedError(field, 'not valid base64'); }
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

// ------------------------------------------------------------------------------------------ fields

const ABSENT = null;

// [name, kind, default]; kinds: s string, b boolean, i integer 0..max, bytes, payload, props, ids, position, ...
const U32 = 0xFFFFFFFF;
const int = (min, max) => ({ kind: 'int', min, max });
const LONG = { kind: 'long' };
const FIELDS = {
  connect: [['clientId', 's', ''], ['cleanStart', 'b', false], ['keepAlive', int(0, 0xFFFF), 0],
    ['sessionExpiryInterval', int(0, U32), 0], ['will', 'will', ABSENT], ['username', 's', ABSENT],
    ['password', 'bytes', ABSENT], ['token', 's', ABSENT], ['authMethod', 's', ABSENT], ['authData', 'bytes', ABSENT],
    ['requestProblemInformation', 'b', true], ['userProperties', 'props', []]],
  connack: [['sessionPresent', 'b', false], ['reasonCode', int(0, 255), 0], ['assignedClientId', 's', ABSENT],
    ['serverKeepAlive', int(0, 0xFFFF), ABSENT], ['sessionExpiryInterval', int(0, U32), ABSENT],
    ['maximumQos', int(0, 2), 2], ['retainAvailable', 'b', true], ['wildcardSubscriptionAvailable', 'b', true],
    ['sharedSubscriptionAvailable', 'b', true], ['subscriptionIdentifiersAvailable', 'b', true],
    ['maximumMessageSize', int(1, U32), ABSENT], ['reasonString', 's', ABSENT], ['serverReference', 's', ABSENT],
    ['authMethod', 's', ABSENT], ['authData', 'bytes', ABSENT], ['userProperties', 'props', []]],
  publish: [['topic', 's!', undefined], ['payload', 'payload', undefined], ['qos', int(0, 2), 0],
    ['packetId', int(0, 65535), 0], ['retain', 'b', false], ['dup', 'b', false],
    ['messageExpiryInterval', int(0, U32), ABSENT], ['payloadFormatIndicator', int(0, 1), 0],
    ['contentType', 's', ABSENT], ['responseTopic', 's', ABSENT], ['correlationData', 'bytes', ABSENT],
    ['subscriptionIdentifiers', 'ids', []], ['userProperties', 'props', []], ['position', 'position', ABSENT]],
  ack: [['packetId', int(1, 65535), undefined], ['reasonCode', int(0, 255), 0], ['reasonString', 's', ABSENT],
    ['userProperties', 'props', []]],
  subscribe: [['topicFilter', 's!', undefined], ['maxQos', int(0, 2), 0], ['noLocal', 'b', false],
    ['retainAsPublished', 'b', false], ['retainHandling', int(0, 2), 0],
    ['subscriptionIdentifier', int(1, 268435455), ABSENT], ['userProperties', 'props', []],
    ['startAfter', 'position', ABSENT], ['startLast', int(1, 2147483647), ABSENT], ['startSince', LONG, ABSENT],
    ['overflow', 'overflow', ABSENT], ['maxQueued', int(1, 2147483647), ABSENT]],
  suback: [['reasonCode', int(0, 255), 0], ['reasonString', 's', ABSENT], ['userProperties', 'props', []],
    ['recovery', 'recovery', ABSENT]],
  unsuback: [['reasonCode', int(0, 255), 0], ['reasonString', 's', ABSENT], ['userProperties', 'props', []]],
  unsubscribe: [['userProperties', 'props', []]],
  ping: [['data', 'bytes', 'empty']],
  disconnect: [['reasonCode', int(0, 255), 0], ['sessionExpiryInterval', int(0, U32), ABSENT],
    ['reasonString', 's', ABSENT], ['serverReference', 's', ABSENT], ['userProperties', 'props', []]],
  auth: [['reasonCode', int(0, 255), 0], ['authMethod', 's!', undefined], ['authData', 'bytes', ABSENT],
    ['reasonString', 's', ABSENT], ['userProperties', 'props', []]],
};
FIELDS.puback = FIELDS.pubrec = FIELDS.pubrel = FIELDS.pubcomp = FIELDS.ack;
FIELDS.pong = FIELDS.ping;
const WILL = [['topic', 's!', undefined], ['payload', 'payload', undefined], ['qos', int(0, 2), 0],
  ['retain', 'b', false], ['delayInterval', int(0, U32), 0], ['messageExpiryInterval', int(0, U32), ABSENT],
  ['payloadFormatIndicator', int(0, 1), 0], ['contentType', 's', ABSENT], ['responseTopic', 's', ABSENT],
  ['correlationData', 'bytes', ABSENT], ['userProperties', 'props', []]];
const OVERFLOW = ['drop-oldest', 'drop-newest', 'conflate', 'disconnect'];
const STATUS = ['complete', 'gap', 'unavailable'];
const GAP_REASONS = ['trimmed', 'epoch-changed', 'lost'];

/** The message types, by their JSON name. */
export const MESSAGE_TYPES = Object.keys(FIELDS).filter((t) => t !== 'ack');

function checkInteger(field, value, min, max) {
  if (typeof value === 'bigint') {
    if (value < BigInt(min) || value > BigInt(max)) throw new MalformedError(field, `must be ${min}..${max}, was ${value}`);
    return value;
  }
  if (!Number.isInteger(value)) throw new MalformedError(field, 'must be an integer');
  if (value < min || value > max) throw new MalformedError(field, `must be ${min}..${max}, was ${value}`);
  return value;
}

function readString(field, value) {
  if (typeof value !== 'string') throw new MalformedError(field, 'must be a string');
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value)) {
    throw new MalformedError(field, 'lone surrogate is not valid Unicode');
  }
  return value;
}

function readObject(path, node, known) {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) throw new MalformedError(path, 'must be an object');
  for (const name of Object.keys(node)) {
    if (!known.includes(name)) throw new MalformedError(`${path}.${name}`, 'unknown field');
  }
  return node;
}

function readPosition(field, node) {
  readObject(field, node, ['epoch', 'offset']);
  if (node.epoch == null) throw new MalformedError(`${field}.epoch`, 'missing');
  const epoch = readString(`${field}.epoch`, node.epoch);
  if (epoch.length < 1 || epoch.length > 64) throw new MalformedError(`${field}.epoch`, `must be 1 to 64 characters, was ${epoch.length}`);
  if (node.offset == null) throw new MalformedError(`${field}.offset`, 'missing');
  return { epoch, offset: checkInteger(`${field}.offset`, node.offset, 0, 2n ** 63n - 1n) };
}

function readField(path, node, [name, kind, dflt]) {
  const field = `${path}.${name}`;
  const raw = node[name];
  if (kind === 'payload') {
    if (raw == null) throw new MalformedError(`${path}.payload`, 'missing');
    if (node.encoding == null) throw new MalformedError(`${path}.encoding`, 'missing ("utf8" or "base64")');
    if (node.encoding === 'utf8') return utf8(readString(field, raw));
    if (node.encoding === 'base64') return fromBase64(field, raw);
    throw new MalformedError(`${path}.encoding`, 'must be "utf8" or "base64"');
  }
  if (raw == null) {
    if (dflt === undefined) throw new MalformedError(field, 'missing');
    if (dflt === 'empty') return new Uint8Array(0);
    return Array.isArray(dflt) ? [] : dflt;
  }
  switch (typeof kind === 'object' ? kind.kind : kind) {
    case 's': case 's!': return readString(field, raw);
    case 'b':
      if (typeof raw !== 'boolean') throw new MalformedError(field, 'must be true or false');
      return raw;
    case 'int': return checkInteger(field, raw, kind.min, kind.max);
    case 'long': return checkInteger(field, raw, 0, 2n ** 63n - 1n);
    case 'bytes': return fromBase64(field, raw);
    case 'ids':
      if (!Array.isArray(raw)) throw new MalformedError(field, 'must be an array');
      return raw.map((id, i) => checkInteger(`${field}[${i}]`, id, 1, 268435455));
    case 'props':
      if (!Array.isArray(raw)) throw new MalformedError(field, 'must be an array');
      return raw.map((p, i) => {
        const at = `${field}[${i}]`;
        readObject(at, p, ['name', 'value']);
        if (p.name == null) throw new MalformedError(`${at}.name`, 'missing');
        if (p.value == null) throw new MalformedError(`${at}.value`, 'missing');
        return { name: readString(`${at}.name`, p.name), value: readString(`${at}.value`, p.value) };
      });
    case 'position': return readPosition(field, raw);
    case 'will': return readFields(field, readObject(field, raw, [...WILL.map((f) => f[0]), 'encoding']), WILL);
    case 'overflow':
      if (!OVERFLOW.includes(raw)) throw new MalformedError(field, 'must be "drop-oldest", "drop-newest", "conflate" or "disconnect"');
      return raw;
    case 'recovery': return readRecovery(field, raw);
    default: throw new Error(`unknown kind ${kind}`);
  }
}

function readRecovery(field, raw) {
  readObject(field, raw, ['status', 'gapFrom', 'gapTo', 'reason', 'latest']);
  if (raw.status == null) throw new MalformedError(`${field}.status`, 'missing');
  if (!STATUS.includes(raw.status)) throw new MalformedError(`${field}.status`, 'must be "complete", "gap" or "unavailable"');
  if (raw.reason != null && !GAP_REASONS.includes(raw.reason)) {
    throw new MalformedError(`${field}.reason`, 'must be "trimmed", "epoch-changed" or "lost"');
  }
  if ((raw.status === 'gap') !== (raw.reason != null)) throw new MalformedError(`${field}.reason`, 'present exactly when the status is "gap"');
  const gapFrom = raw.gapFrom == null ? 0 : checkInteger(`${field}.gapFrom`, raw.gapFrom, 0, 2n ** 63n - 1n);
  const gapTo = raw.gapTo == null ? 0 : checkInteger(`${field}.gapTo`, raw.gapTo, 0, 2n ** 63n - 1n);
  if (BigInt(gapTo) < BigInt(gapFrom)) throw new MalformedError(`${field}.gapTo`, `must be at least gapFrom ${gapFrom}, was ${gapTo}`);
  return { status: raw.status, gapFrom, gapTo, reason: raw.reason ?? null,
    latest: raw.latest == null ? null : readPosition(`${field}.latest`, raw.latest) };
}

function readFields(path, node, fields) {
  const message = {};
  for (const spec of fields) message[spec[0]] = readField(path, node, spec);
  return message;
}

// ------------------------------------------------------------------------------------------ messages

/** Decodes one message from its JSON object (already parsed) or text; throws MalformedError naming the field. */
export function decodeMessage(input) {
  const node = typeof input === 'string' ? parseJson(input) : input;
  if (node === null || typeof node !== 'object' || Array.isArray(node)) throw new MalformedError('message', 'must be a JSON object');
  if (node.type == null) throw new MalformedError('message.type', 'missing');
  if (typeof node.type !== 'string') throw new MalformedError('message.type', 'must be a string');
  const fields = MESSAGE_TYPES.includes(node.type) ? FIELDS[node.type] : null;
  if (!fields) throw new MalformedError('message.type', `unknown type '${node.type}'`);
  const known = ['type', ...fields.map((f) => f[0])];
  if (fields.some((f) => f[1] === 'payload')) known.push('encoding');
  readObject(node.type, node, known);
  const message = { type: node.type, ...readFields(node.type, node, fields) };
  if (node.type === 'publish') {
    if (message.qos > 0 && message.packetId === 0) {
      throw new MalformedError('publish.packetId', node.packetId == null ? 'missing (required at QoS 1 and 2)' : 'must be 1..65535, was 0');
    }
    if (message.qos === 0 && message.packetId !== 0) throw new MalformedError('publish.packetId', `must be 0 (none) at QoS 0, was ${message.packetId}`);
    if (message.qos === 0 && message.dup) throw new MalformedError('publish.dup', 'must be false at QoS 0 [MQTT-3.3.1-2]');
  }
  if (node.type === 'subscribe') {
    const starts = ['startAfter', 'startLast', 'startSince'].filter((s) => message[s] != null);
    if (starts.length > 1) throw new MalformedError('subscribe.startAfter', 'at most one of startAfter, startLast, startSince');
  }
  return message;
}

function writeValue(kind, value) {
  switch (typeof kind === 'object' ? kind.kind : kind) {
    case 'bytes': return toBase64(value);
    case 'position': return { epoch: value.epoch, offset: value.offset };
    case 'will': return writeFields(value, WILL);
    case 'recovery': {
      const out = { status: value.status };
      if (value.status === 'gap') Object.assign(out, { gapFrom: value.gapFrom, gapTo: value.gapTo, reason: value.reason });
      if (value.latest) out.latest = { epoch: value.latest.epoch, offset: value.latest.offset };
      return out;
    }
    default: return value;
  }
}

function isDefault(value, dflt) {
  if (dflt === undefined) return false;
  if (dflt === 'empty') return value == null || value.length === 0;
  if (Array.isArray(dflt)) return value == null || value.length === 0;
  return value === dflt || (value == null && dflt === null);
}

function writeFields(message, fields) {
  const out = {};
  for (const [name, kind, dflt] of fields) {
    const value = message[name];
    if (kind === 'payload') {
      const bytes = value instanceof Uint8Array ? value : utf8(String(value ?? ''));
      if (isUtf8(bytes)) Object.assign(out, { payload: UTF8_DECODER.decode(bytes), encoding: 'utf8' });
      else Object.assign(out, { payload: toBase64(bytes), encoding: 'base64' });
    } else if (value === undefined) {
      if (dflt === undefined) throw new MalformedError(name, 'missing');
    } else if (!isDefault(value, dflt)) {
      out[name] = writeValue(kind, value);
    }
  }
  return out;
}

/** The JSON object of a message (fields at their defaults left out), ready for stringifyJson. */
export function messageToJson(message) {
  const fields = FIELDS[message.type];
  if (!fields || message.type === 'ack') throw new Error(`unknown message type ${message.type}`);
  return { type: message.type, ...writeFields(message, fields) };
}

/** The JSON text of a message. */
export function encodeMessage(message) {
  return stringifyJson(messageToJson(message));
}

// ------------------------------------------------------------------------------------------ frames

const FRAME_FIELDS = {
  data: ['end', 'message'], reset: ['error'], window_update: ['increment'], settings: ['settings'],
  goaway: ['lastStreamId', 'error', 'reason', 'serverReference'],
};

/**
 * Decodes one frame's text: {stream, frame, ...}; a data frame's message decoded too (a bad message is reported as
 * `messageError` on the frame, since it is a stream error, not a connection error).
 */
export function decodeFrame(text) {
  const node = parseJson(text);
  if (node === null || typeof node !== 'object' || Array.isArray(node)) throw new MalformedError('frame', 'must be a JSON object');
  const kind = node.frame ?? 'data';
  if (!FRAME_FIELDS[kind]) throw new MalformedError('frame.frame', `unknown frame '${kind}'`);
  readObject('frame', node, ['stream', 'frame', ...FRAME_FIELDS[kind]]);
  const stream = checkInteger('frame.stream', node.stream ?? -1, 0, 2147483647);
  const frame = { stream, frame: kind };
  if (kind === 'data') {
    frame.end = node.end ?? false;
    if (node.message == null) throw new MalformedError('frame.message', 'missing');
    try {
      frame.message = decodeMessage(node.message);
    } catch (e) {
      if (!(e instanceof MalformedError)) throw e;
      frame.messageError = e;
    }
  } else if (kind === 'window_update') {
    frame.increment = checkInteger('frame.increment', node.increment, 1, 2147483647);
  } else if (kind === 'settings') {
    frame.settings = node.settings ?? {};
  } else {
    Object.assign(frame, node);
    frame.frame = kind;
  }
  return frame;
}

/** The text of a frame: {stream, frame?, end?, message?, ...}. */
export function encodeFrame(frame) {
  const out = { stream: frame.stream };
  const kind = frame.frame ?? 'data';
  if (kind !== 'data') out.frame = kind;
  if (kind === 'data') {
    if (frame.end) out.end = true;
    out.message = messageToJson(frame.message);
  } else {
    for (const name of FRAME_FIELDS[kind]) if (frame[name] !== undefined) out[name] = frame[name];
  }
  return stringifyJson(out);
}
