// Helpers for the MQTT.js interoperability scenarios: connections that are tracked and closed after each scenario,
// promise wrappers around MQTT.js callbacks, and an inbox that waits for messages by event with a deadline.
import mqtt from 'mqtt';

/** How long any single wait in a scenario may take before the scenario fails. */
export const WAIT_MS = 10_000;
/**
 * How long a scenario waits to assert that something does NOT arrive. Only used for negative checks, and only
 * after an event-driven wait has shown that later traffic already came through (a sentinel).
 */
export const QUIET_MS = 300;

export class ScenarioError extends Error {}

export function check(condition, message) {
  if (!condition) {
    throw new ScenarioError(message);
  }
}

export function equal(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  check(a === e, `${what}: expected ${shorten(e)}, got ${shorten(a)}`);
}

function shorten(text) {
  return text === undefined || text.length <= 400 ? text : `${text.slice(0, 400)}... (${text.length} chars)`;
}

/** Rejects after `ms` with `what` unless `promise` settles first. */
export function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new ScenarioError(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A fixed pause: only to let something that must NOT happen have its chance (see QUIET_MS). */
export function quiet(ms = QUIET_MS) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * One scenario run: the broker URL of its transport, its protocol version, a unique topic prefix and client id
 * prefix, and every client it opened (force-closed at the end).
 */
export class Run {
  constructor(url, transport, version, name, limits) {
    this.url = url;
    this.transport = transport;
    this.version = version;
    this.limits = limits;
    const unique = `${name}-${transport}-v${version}-${process.pid}-${Date.now().toString(36)}`;
    this.prefix = `it/${unique}`;
    this.idPrefix = `mqttjs-${unique}`.slice(0, 60);
    this.clients = [];
    this.errors = []; // every 'error' MQTT.js raised on any client of the run (a broker's protocol error among them)
    this.counter = 0;
  }

  topic(suffix) {
    return `${this.prefix}/${suffix}`;
  }

  clientId(label) {
    return `${this.idPrefix}-${label}`;
  }

  /**
   * Opens a client and waits for CONNACK: resolves {client, connack, inbox}; rejects with the refusal's error. The
   * inbox listens from the start: messages may come in the same read as CONNACK (a resumed session's queue).
   */
  connect(options = {}) {
    const client = mqtt.connect(this.url, {
      protocolVersion: this.version,
      clientId: this.clientId(`c${++this.counter}`),
      reconnectPeriod: 0,
      connectTimeout: WAIT_MS,
      keepalive: 30,
      clean: true,
      ...options,
    });
    this.clients.push(client);
    client.on('error', (error) => this.errors.push(error.message));
    const inbox = new Inbox(client);
    return within(new Promise((resolve, reject) => {
      const onError = (error) => {
        cleanup();
        reject(error);
      };
      const onClose = () => {
        cleanup();
        reject(new ScenarioError('connection closed before CONNACK'));
      };
      const onConnect = (connack) => {
        cleanup();
        resolve({ client, connack, inbox });
      };
      const cleanup = () => {
        client.off('error', onError);
        client.off('close', onClose);
        client.off('connect', onConnect);
      };
      client.on('error', onError);
      client.on('close', onClose);
      client.on('connect', onConnect);
    }), WAIT_MS, 'CONNACK');
  }

  /** connect(), for a client that will receive (the name says so at the call). */
  connectWithInbox(options = {}) {
    return this.connect(options);
  }

  /** Force-closes every client this run opened. */
  async closeAll() {
    await Promise.all(this.clients.map((client) => new Promise((resolve) => {
      if (client.disconnected && !client.connected) {
        resolve();
        return;
      }
      client.end(true, {}, () => resolve());
      setTimeout(resolve, 1_000); // a client that never calls back does not hold the next scenario
    })));
  }
}

/** SUBSCRIBE: resolves the granted list, {topic, qos} per filter (qos: the granted QoS or the reason code). */
export function subscribe(client, filters, options = {}) {
  return within(new Promise((resolve, reject) => {
    client.subscribe(filters, options, (error, granted) => (error ? reject(error)
      : resolve(granted.map(({ topic, qos }) => ({ topic, qos })))));
  }), WAIT_MS, `SUBACK for ${JSON.stringify(filters)}`);
}

/** Resolves once `condition` holds, checked whenever any of `inboxes` receives a message. */
export function untilAny(inboxes, condition, what) {
  if (condition()) {
    return Promise.resolve();
  }
  let done = false;
  return within(new Promise((resolve) => {
    const waiter = () => {
      if (!done && condition()) {
        done = true;
        resolve();
      }
      return done;
    };
    for (const inbox of inboxes) {
      inbox.waiters.push(waiter);
    }
  }), WAIT_MS, what);
}

/** PUBLISH: resolves once written (QoS 0), acknowledged by PUBACK (QoS 1) or PUBCOMP (QoS 2). */
export function publish(client, topic, payload, options = {}) {
  return within(new Promise((resolve, reject) => {
    client.publish(topic, payload, options, (error, packet) => (error ? reject(error) : resolve(packet)));
  }), WAIT_MS, `acknowledgement of a publish to ${topic || '(alias)'}`);
}

/** DISCONNECT and close (a normal end): resolves when the connection is closed. */
export function end(client, options = {}) {
  return within(new Promise((resolve) => client.end(false, options, () => resolve())), WAIT_MS, 'a normal end');
}

/** Resolves on the client's next 'close'. */
export function closed(client) {
  return within(new Promise((resolve) => client.once('close', resolve)), WAIT_MS, 'the connection to close');
}

/** Every message a client receives, in order, with event-driven waits. */
export class Inbox {
  constructor(client) {
    this.messages = [];
    this.packets = []; // every packet received, from CONNACK on
    this.waiters = [];
    client.on('packetreceive', (packet) => this.packets.push(packet));
    client.on('message', (topic, payload, packet) => {
      this.messages.push({ topic, payload: payload.toString(), raw: payload, packet });
      this.waiters = this.waiters.filter((waiter) => !waiter());
    });
  }

  /** Resolves the messages once `count` have arrived. */
  count(count, what = `${count} message(s)`) {
    return this.until(() => this.messages.length >= count, what).then(() => this.messages.slice(0, count));
  }

  /** Resolves the first message with this payload. */
  payload(payload) {
    return this.until(() => this.find(payload), `a message "${payload}"`).then(() => this.find(payload));
  }

  find(payload) {
    return this.messages.find((message) => message.payload === payload);
  }

  payloads() {
    return this.messages.map((message) => message.payload);
  }

  until(condition, what) {
    if (condition()) {
      return Promise.resolve();
    }
    return within(new Promise((resolve) => {
      this.waiters.push(() => {
        if (condition()) {
          resolve();
          return true;
        }
        return false;
      });
    }), WAIT_MS, what);
  }
}
