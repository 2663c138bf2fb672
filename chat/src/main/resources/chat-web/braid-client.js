// A Braid client for the browser (and Node 20 with --experimental-websocket): one WebSocket in braid.v1.json,
// streams with credit (docs/PROTOCOL.md 5), CONNECT, subscriptions on their own streams with a start in history and
// a recovery report, QoS 0 and 1 publishes, keep-alive pings, and reconnection with resume: every topic
// subscription starts again after the last position it handed to the application, and publishes not yet
// acknowledged go out again. Single-threaded, like the page it runs in.

import { decodeFrame, encodeFrame, utf8 } from './braid-json.js';

const WINDOW = 32;            // the stream window this client grants the broker
const CONNECTION_WINDOW = 256;
const DEFAULT_PEER = { initialStreamWindow: 32, initialConnectionWindow: 256 };

/** A refusal by the broker: a reason code 0x80 or above, with its reason string. */
export class BraidError extends Error {
  constructor(reasonCode, reasonString, what) {
    super(`${what}: 0x${reasonCode.toString(16)}${reasonString ? ` ${reasonString}` : ''}`);
    this.reasonCode = reasonCode;
    this.reasonString = reasonString ?? null;
  }
}

/** The text of a payload (UTF-8). */
export function text(bytes) {
  return new TextDecoder().decode(bytes);
}

function isTopicName(filter) {
  return !filter.includes('+') && !filter.includes('#') && !filter.startsWith('$share/');
}

/** One stream of the current connection: credit both ways, frames waiting for credit. */
class Stream {
  constructor(id, peerWindow) {
    this.id = id;
    this.sendCredit = peerWindow;
    this.queued = [];
    this.consumed = 0;
  }
}

/** A subscription the application holds; it outlives connections. */
class Subscription {
  constructor(client, filter, options, onMessage) {
    this.client = client;
    this.filter = filter;
    this.options = options;
    this.onMessage = onMessage;
    this.onRecovery = options.onRecovery ?? null;
    this.recovery = null;
    this.lastPosition = options.startAfter ?? null;
    this.granted = null;
    this.stream = null;
    this.ended = false;
  }

  /** The SUBSCRIBE for the next connection: after the last position of a topic, else as first asked, then live. */
  message() {
    const { maxQos = 1, startLast, startSince, overflow, maxQueued } = this.options;
    const m = { type: 'subscribe', topicFilter: this.filter, maxQos };
    if (this.lastPosition && isTopicName(this.filter)) m.startAfter = this.lastPosition;
    else if (this.granted === null && startLast != null) m.startLast = startLast;
    else if (this.granted === null && startSince != null) m.startSince = startSince;
    if (overflow) m.overflow = overflow;
    if (maxQueued) m.maxQueued = maxQueued;
    return m;
  }

  /** Ends the subscription: UNSUBSCRIBE with END_STREAM; resolves on the UNSUBACK (or at once while offline). */
  unsubscribe() {
    this.ended = true;
    if (!this.stream || !this.client.connected) {
      this.client.subscriptions.delete(this); // the broker's session ends with the connection (clean start)
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.onUnsubscribed = () => {
        this.client.subscriptions.delete(this);
        resolve();
      };
      this.client.send(this.stream, { type: 'unsubscribe' }, true);
    });
  }
}

export class BraidClient {
  /**
   * @param options url (ws://host:port/braid), clientId (empty: the broker assigns one), keepAlive seconds,
   *     presence (an object shown to presence watchers), username/password or token, reconnectDelayMs [min, max],
   *     WebSocket (a constructor; the global one by default)
   */
  constructor(options) {
    this.options = { keepAlive: 30, reconnectDelayMs: [250, 5000], ...options };
    this.WebSocket = options.WebSocket ?? globalThis.WebSocket;
    this.subscriptions = new Set();
    this.outbox = [];        // publishes not yet acknowledged: {message, resolve, reject}
    this.stateListeners = [];
    this.state = 'idle';
    this.attempt = 0;
    this.closedByUser = false;
  }

  /** Hears 'connecting', 'connected', 'reconnecting' (with the delay in ms) and 'closed'. */
  onState(listener) {
    this.stateListeners.push(listener);
    return this;
  }

  get connected() {
    return this.state === 'connected';
  }

  /** Connects; resolves with the CONNACK once the broker accepted, rejects with a BraidError if it refused. */
  connect() {
    this.closedByUser = false;
    return new Promise((resolve, reject) => {
      this.firstConnect = { resolve, reject };
      this.open();
    });
  }

  /**
   * Subscribes to `filter`; `onMessage(message)` gets each PUBLISH (payload a Uint8Array, position for history
   * topics). Options: maxQos (1), startLast, startSince, startAfter ({epoch, offset}), overflow, maxQueued,
   * onRecovery(report). Resolves with the Subscription once the broker granted it (its `recovery` then set).
   */
  subscribe(filter, options, onMessage) {
    const subscription = new Subscription(this, filter, options ?? {}, onMessage);
    this.subscriptions.add(subscription);
    return new Promise((resolve, reject) => {
      subscription.granting = { resolve, reject };
      if (this.connected) this.openSubscription(subscription);
    });
  }

  /**
   * Publishes; resolves with the PUBACK's reason code at QoS 1 (0 or 0x10), at once at QoS 0; rejects with a
   * BraidError on a refusal. While disconnected it waits and goes out after the reconnect.
   */
  publish(topic, payload, { qos = 1, retain = false, userProperties = [] } = {}) {
    const message = { type: 'publish', topic, payload: typeof payload === 'string' ? utf8(payload) : payload, qos,
      retain, userProperties, packetId: 0 };
    return new Promise((resolve, reject) => {
      const entry = { message, resolve, reject };
      if (qos > 0) this.outbox.push(entry);
      if (this.connected) this.sendPublish(entry);
      else if (qos === 0) resolve(0); // QoS 0 while offline: nothing to wait for, and nothing kept
    });
  }

  /** Disconnects for good (DISCONNECT, then close). */
  close() {
    this.closedByUser = true;
    clearTimeout(this.retryTimer);
    if (this.ws && this.connected) this.send(0, { type: 'disconnect' });
    this.ws?.close(1000);
    this.setState('closed');
  }

  // ---------------------------------------------------------------------------------------------- connection

  setState(state, detail) {
    this.state = state;
    for (const listener of this.stateListeners) listener(state, detail);
  }

  open() {
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    this.streams = new Map();
    this.nextStreamId = 1;
    this.peer = { ...DEFAULT_PEER };
    this.connectionCredit = this.peer.initialConnectionWindow;
    this.connectionConsumed = 0;
    this.nextPacketId = 1;
    this.inflight = new Map();
    this.publicationStream = null;
    const ws = new this.WebSocket(this.options.url, 'braid.v1.json');
    this.ws = ws;
    ws.onopen = () => this.onOpen(ws);
    ws.onmessage = (event) => { if (ws === this.ws) this.onFrame(event.data); };
    ws.onclose = () => { if (ws === this.ws) this.onClose(); };
    ws.onerror = () => {};
  }

  onOpen(ws) {
    if (ws !== this.ws) return;
    this.write({ stream: 0, frame: 'settings', settings: { initialStreamWindow: WINDOW,
      initialConnectionWindow: CONNECTION_WINDOW } });
    const { clientId = '', keepAlive, presence, username, password, token } = this.options;
    const connect = { type: 'connect', clientId, cleanStart: true, keepAlive, userProperties: [] };
    if (presence) connect.userProperties.push({ name: 'braid.presence', value: JSON.stringify(presence) });
    if (username) connect.username = username;
    if (password) connect.password = utf8(password);
    if (token) connect.token = token;
    this.write({ stream: 0, message: connect });
  }

  onClose() {
    clearInterval(this.pingTimer);
    const wasConnected = this.connected;
    this.ws = null;
    for (const subscription of this.subscriptions) subscription.stream = null;
    if (this.closedByUser) return;
    if (this.firstConnect && this.attempt === 0 && !wasConnected && this.refused) return;
    const [min, max] = this.options.reconnectDelayMs;
    const delay = Math.min(max, min * 2 ** Math.min(this.attempt, 10)) * (0.5 + Math.random() / 2);
    this.attempt++;
    this.setState('reconnecting', Math.round(delay));
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  onConnAck(connack) {
    if (connack.reasonCode >= 0x80) {
      this.refused = true;
      const error = new BraidError(connack.reasonCode, connack.reasonString, 'the broker refused the connection');
      this.firstConnect?.reject(error);
      this.firstConnect = null;
      this.closedByUser = true;
      this.setState('closed', error);
      return;
    }
    this.attempt = 0;
    this.clientId = connack.assignedClientId ?? this.options.clientId;
    this.setState('connected', connack);
    const keepAlive = connack.serverKeepAlive ?? this.options.keepAlive;
    if (keepAlive > 0) {
      this.pingTimer = setInterval(() => this.send(0, { type: 'ping' }), (keepAlive * 1000) / 2);
    }
    for (const subscription of [...this.subscriptions]) {
      if (subscription.ended) subscription.onUnsubscribed?.() ?? this.subscriptions.delete(subscription);
      else this.openSubscription(subscription);
    }
    for (const entry of this.outbox) this.sendPublish(entry);
    this.firstConnect?.resolve(connack);
    this.firstConnect = null;
  }

  // ---------------------------------------------------------------------------------------------- streams

  write(frame) {
    this.ws.send(encodeFrame(frame));
  }

  openStream() {
    const stream = new Stream(this.nextStreamId, this.peer.initialStreamWindow);
    this.nextStreamId += 2;
    this.streams.set(stream.id, stream);
    return stream;
  }

  /** Sends a message on `stream` (a Stream, or 0), within its credit and the connection's; else it waits. */
  send(stream, message, end = false) {
    if (!this.ws || this.ws.readyState !== 1) return;
    if (stream === 0) {
      this.write({ stream: 0, message });
      return;
    }
    stream.queued.push({ message, end });
    this.flush(stream);
  }

  flush(stream) {
    while (stream.queued.length > 0 && stream.sendCredit > 0 && this.connectionCredit > 0) {
      const { message, end } = stream.queued.shift();
      stream.sendCredit--;
      this.connectionCredit--;
      this.write({ stream: stream.id, end, message });
    }
  }

  /** The application took a message of `stream`: credit goes back once half a window was taken. */
  consumed(streamId) {
    const stream = this.streams.get(streamId);
    this.connectionConsumed++;
    if (this.connectionConsumed >= CONNECTION_WINDOW / 2) {
      this.write({ stream: 0, frame: 'window_update', increment: this.connectionConsumed });
      this.connectionConsumed = 0;
    }
    if (stream && !stream.closed) {
      stream.consumed++;
      if (stream.consumed >= WINDOW / 2) {
        this.write({ stream: streamId, frame: 'window_update', increment: stream.consumed });
        stream.consumed = 0;
      }
    }
  }

  onFrame(text) {
    const frame = decodeFrame(text);
    switch (frame.frame) {
      case 'settings':
        Object.assign(this.peer, frame.settings);
        this.connectionCredit += this.peer.initialConnectionWindow - DEFAULT_PEER.initialConnectionWindow;
        break;
      case 'window_update':
        if (frame.stream === 0) {
          this.connectionCredit += frame.increment;
          for (const stream of this.streams.values()) this.flush(stream);
        } else if (this.streams.has(frame.stream)) {
          this.streams.get(frame.stream).sendCredit += frame.increment;
          this.flush(this.streams.get(frame.stream));
        }
        break;
      case 'reset':
        this.onStreamClosed(frame.stream);
        break;
      case 'goaway':
        break; // the close that follows reconnects
      default:
        if (frame.messageError) throw frame.messageError;
        this.onMessage(frame.stream, frame.end, frame.message);
    }
  }

  onMessage(streamId, end, message) {
    if (streamId === 0) {
      if (message.type === 'connack') this.onConnAck(message);
      return;
    }
    if (streamId === this.publicationStream?.id) {
      this.consumed(streamId);
      if (message.type === 'puback') this.onPubAck(message);
      return;
    }
    const subscription = [...this.subscriptions].find((s) => s.stream?.id === streamId);
    if (!subscription) {
      this.consumed(streamId);
      return;
    }
    if (message.type === 'suback') this.onSubAck(subscription, message, end);
    else if (message.type === 'publish') this.onDelivery(subscription, message);
    else {
      this.consumed(streamId);
      if (message.type === 'unsuback') subscription.onUnsubscribed?.();
    }
  }

  onStreamClosed(streamId) {
    const stream = this.streams.get(streamId);
    if (stream) stream.closed = true;
  }

  // ---------------------------------------------------------------------------------------------- subscriptions

  openSubscription(subscription) {
    subscription.stream = this.openStream();
    this.send(subscription.stream, subscription.message());
  }

  onSubAck(subscription, suback, end) {
    this.consumed(subscription.stream.id);
    if (suback.reasonCode >= 0x80) {
      const error = new BraidError(suback.reasonCode, suback.reasonString, `the subscription to ${subscription.filter}`);
      this.subscriptions.delete(subscription);
      subscription.granting?.reject(error);
      subscription.granting = null;
      return;
    }
    const first = subscription.granted === null;
    subscription.granted = suback.reasonCode;
    if (suback.recovery) {
      subscription.recovery = suback.recovery;
      if (!first) subscription.onRecovery?.(suback.recovery);
    }
    if (end) subscription.stream = null;
    subscription.granting?.resolve(subscription);
    subscription.granting = null;
  }

  onDelivery(subscription, publish) {
    const streamId = subscription.stream.id;
    if (!subscription.ended) {
      try {
        subscription.onMessage?.(publish);
      } catch (e) {
        console.error(`the handler of the subscription to ${subscription.filter} failed`, e);
      }
      if (publish.position && isTopicName(subscription.filter)) subscription.lastPosition = publish.position;
    }
    if (publish.qos > 0) this.send(subscription.stream, { type: 'puback', packetId: publish.packetId });
    this.consumed(streamId);
  }

  // ---------------------------------------------------------------------------------------------- publishing

  sendPublish(entry) {
    if (!this.publicationStream) this.publicationStream = this.openStream();
    const message = { ...entry.message };
    if (message.qos > 0) {
      message.packetId = this.takePacketId();
      this.inflight.set(message.packetId, entry);
    }
    this.send(this.publicationStream, message);
    if (message.qos === 0) entry.resolve(0);
  }

  takePacketId() {
    while (this.inflight.has(this.nextPacketId)) this.nextPacketId = this.nextPacketId % 65535 + 1;
    const id = this.nextPacketId;
    this.nextPacketId = this.nextPacketId % 65535 + 1;
    return id;
  }

  onPubAck(puback) {
    const entry = this.inflight.get(puback.packetId);
    if (!entry) return;
    this.inflight.delete(puback.packetId);
    this.outbox.splice(this.outbox.indexOf(entry), 1);
    if (puback.reasonCode >= 0x80) {
      entry.reject(new BraidError(puback.reasonCode, puback.reasonString, `the publish to ${entry.message.topic}`));
    } else {
      entry.resolve(puback.reasonCode);
    }
  }
}
