// The chat page: rooms with member counts (presence), a room's recent history and live messages, who is in it and
// who is typing, unread counts from offsets, each sent message pending, delivered or failed with a retry, and the
// connection's state. Everything a user or the network sends is shown as text, never as HTML.
import { BraidClient, BraidError, text } from './braid-client.js';

const ROOMS = 'chat/rooms/';
const TYPING = 'chat/typing/';
const HISTORY = 50;
const MAX_LENGTH = 1000;
const ROOM_NAME = /^[A-Za-z0-9_-]{1,40}$/;
const $ = (id) => document.getElementById(id);

const rooms = new Map();   // name -> { members: Map(clientId -> info), joined, subscription, messages, readOffset, latestOffset }
let client;
let nick;
let active = null;
const typing = new Map();  // room -> Map(nick -> last seen ms)
let lastTypingSent = 0;

function room(name) {
  if (!rooms.has(name)) {
    rooms.set(name, { members: new Map(), joined: false, subscription: null, messages: [], readOffset: 0, latestOffset: 0 });
  }
  return rooms.get(name);
}

function roomOf(topic, prefix) {
  return topic.startsWith(prefix) ? topic.slice(prefix.length) : null;
}

function el(tag, className, content) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (content !== undefined) node.textContent = content; // text only: nothing anyone sends becomes markup
  return node;
}

// ------------------------------------------------------------------------------------------------ connection

function showConnection(state) {
  const label = $('connection');
  const shown = state === 'connected' ? 'connected' : state === 'reconnecting' || state === 'connecting'
    ? 'reconnecting' : 'offline';
  label.textContent = shown === 'reconnecting' ? 'reconnecting…' : shown;
  label.className = `connection ${shown}`;
}

async function start(event) {
  event.preventDefault();
  const chosen = $('nick').value.trim();
  if (!chosen) return;
  nick = chosen;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  client = new BraidClient({ url: `${scheme}://${location.host}/braid`, presence: { nick }, keepAlive: 30 });
  client.onState(showConnection);
  try {
    await client.connect();
  } catch (e) {
    $('login-error').textContent = `Cannot connect: ${e.message}`;
    return;
  }
  $('login').hidden = true;
  $('chat').hidden = false;
  await client.subscribe(`$presence/${ROOMS}+`, { maxQos: 1 }, onPresence);
  await client.subscribe(`${TYPING}+`, { maxQos: 0 }, onTyping);
  const wanted = new URLSearchParams(location.search).get('room');
  if (wanted && ROOM_NAME.test(wanted)) join(wanted);
  renderRooms();
  $('room-name').focus();
}

// ------------------------------------------------------------------------------------------------ presence

function onPresence(publish) {
  const event = JSON.parse(text(publish.payload));
  const name = roomOf(event.topic, ROOMS);
  if (name === null) return;
  const members = room(name).members;
  if (event.type === 'members') {
    if (event.page === 1) members.clear();
    for (const m of event.members) members.set(m.clientId, m.info ?? {});
  } else if (event.type === 'join') {
    members.set(event.member.clientId, event.member.info ?? {});
  } else if (event.type === 'leave') {
    members.delete(event.member.clientId);
  }
  renderRooms();
  if (name === active) renderMembers();
}

function nickOf(info, clientId) {
  return typeof info?.nick === 'string' ? info.nick : clientId;
}

// ------------------------------------------------------------------------------------------------ rooms

async function join(name) {
  $('send-error').textContent = '';
  if (!ROOM_NAME.test(name)) {
    $('send-error').textContent = 'A room name is 1 to 40 letters, digits, - or _.';
    return;
  }
  const r = room(name);
  const taken = [...r.members].some(([id, info]) => id !== client.clientId && nickOf(info, id) === nick);
  if (!r.joined && taken) {
    $('send-error').textContent = `The nickname ${nick} is taken in ${name}: choose another to join it.`;
    return;
  }
  if (!r.joined) {
    r.joined = true;
    try {
      r.subscription = await subscribeRoom(name);
    } catch (e) {
      r.joined = false; // the broker keeps nicknames unique per room too (presence.uniqueField)
      $('send-error').textContent = e instanceof BraidError && e.reasonCode === 0x83
        ? `The nickname ${nick} is taken in ${name}: choose another to join it.` : `Cannot join ${name}: ${e.message}`;
      return;
    }
  }
  show(name);
}

function show(name) {
  active = name;
  const r = room(name);
  r.readOffset = r.latestOffset;
  $('room-title').textContent = name;
  $('composer').hidden = false;
  $('notice').hidden = true;
  renderRooms();
  renderMessages();
  renderMembers();
  renderTyping();
  $('text').focus();
}

async function onRecovery(name, report) {
  if (report.status !== 'gap') return;
  const r = room(name);
  if (name === active) {
    $('notice').textContent = `Some messages of ${name} could not be recovered (${report.reason}): the recent `
      + 'history is shown again.';
    $('notice').hidden = false;
  }
  // reload: the recent history again, from scratch
  await r.subscription.unsubscribe();
  r.messages = r.messages.filter((m) => m.state !== 'delivered' || m.mine);
  r.subscription = await subscribeRoom(name);
  if (name === active) renderMessages();
}

/** A room's messages: its recent history, then live ones; a later gap in recovery reloads the history. */
function subscribeRoom(name) {
  return client.subscribe(ROOMS + name, { maxQos: 1, startLast: HISTORY,
    onRecovery: (report) => onRecovery(name, report) }, (publish) => onChat(name, publish));
}

// ------------------------------------------------------------------------------------------------ messages

function onChat(name, publish) {
  let message;
  try {
    message = JSON.parse(text(publish.payload));
  } catch {
    return;
  }
  if (typeof message.text !== 'string' || typeof message.nick !== 'string') return;
  const r = room(name);
  const sender = publish.userProperties.find((p) => p.name === 'braid.sender')?.value ?? null;
  const offset = publish.position ? Number(publish.position.offset) : r.latestOffset + 1;
  r.latestOffset = Math.max(r.latestOffset, offset);
  const known = r.messages.find((m) => m.id === message.id && (m.mine ? sender === ownSender() : m.sender === sender));
  if (known) {
    known.state = 'delivered';
    known.offset = offset;
  } else {
    r.messages.push({ id: message.id, nick: authorOf(r, sender, message.nick), text: message.text,
      sentAt: message.sentAt, sender, offset, state: 'delivered', mine: false });
  }
  if (name === active) {
    r.readOffset = r.latestOffset;
    renderMessages();
  } else {
    renderRooms();
  }
}

function send(event) {
  event.preventDefault();
  const input = $('text');
  const value = input.value.trim();
  if (!value || !active) return;
  if (value.length > MAX_LENGTH) {
    $('send-error').textContent = `A message is at most ${MAX_LENGTH} characters.`;
    return;
  }
  input.value = '';
  const message = { id: crypto.randomUUID(), nick, text: value, sentAt: Date.now(), state: 'pending', mine: true };
  room(active).messages.push(message);
  publishMessage(active, message);
  renderMessages();
}

function publishMessage(name, message) {
  message.state = 'pending';
  $('send-error').textContent = '';
  const payload = JSON.stringify({ id: message.id, nick: message.nick, text: message.text, sentAt: message.sentAt });
  client.publish(ROOMS + name, payload, { qos: 1 }).then(() => {
    message.state = 'delivered';
    if (name === active) renderMessages();
  }, (e) => {
    message.state = 'failed';
    message.error = e instanceof BraidError && e.reasonCode === 0x97
      ? 'You are sending too fast: wait a moment, then retry.' : `Not sent: ${e.message}`;
    if (name === active) {
      $('send-error').textContent = message.error;
      renderMessages();
    }
  });
}

/** What the broker stamps on this client's messages (auth.senderTopics): anonymous pages are their client id. */
function ownSender() {
  return `anonymous:${client.clientId}`;
}

/**
 * The name to show for a message: the nickname its sender (stamped by the broker, unforgeable) connected with, if it
 * is in the room; a nickname a payload claims is shown only when the sender is not known here.
 */
function authorOf(r, sender, claimed) {
  const clientId = sender?.startsWith('anonymous:') ? sender.slice('anonymous:'.length) : null;
  const info = clientId === null ? null : r.members.get(clientId);
  if (info && typeof info.nick === 'string') return info.nick;
  if (sender && !clientId) return sender; // an authenticated user: its user name
  return claimed;
}

// ------------------------------------------------------------------------------------------------ typing

function onTyping(publish) {
  const name = roomOf(publish.topic, TYPING);
  let who;
  try {
    who = JSON.parse(text(publish.payload)).nick;
  } catch {
    return;
  }
  if (name === null || typeof who !== 'string' || who === nick) return;
  if (!typing.has(name)) typing.set(name, new Map());
  typing.get(name).set(who, Date.now());
  if (name === active) renderTyping();
}

function typed() {
  const now = Date.now();
  if (active && client.connected && now - lastTypingSent > 2000) {
    lastTypingSent = now;
    client.publish(TYPING + active, JSON.stringify({ nick }), { qos: 0 });
  }
}

// ------------------------------------------------------------------------------------------------ rendering

function renderRooms() {
  const list = $('rooms');
  list.replaceChildren();
  const names = [...rooms.keys()].filter((n) => rooms.get(n).joined || rooms.get(n).members.size > 0).sort();
  for (const name of names) {
    const r = rooms.get(name);
    const item = el('li');
    const button = el('button', null, name);
    button.type = 'button';
    button.dataset.room = name;
    if (name === active) button.setAttribute('aria-current', 'true');
    button.append(' ', el('span', 'count', `(${r.members.size})`));
    const unread = name === active ? 0 : r.latestOffset - r.readOffset;
    if (r.joined && unread > 0) button.append(el('span', 'unread', String(unread)));
    button.addEventListener('click', () => join(name));
    item.append(button);
    list.append(item);
  }
}

function renderMessages() {
  const list = $('messages');
  list.replaceChildren();
  for (const m of room(active).messages) {
    const item = el('li', m.state);
    item.dataset.id = m.id;
    item.append(el('span', 'nick', m.nick), el('span', 'text', m.text));
    if (m.mine) {
      item.append(el('span', 'state', m.state));
      if (m.state === 'failed') {
        const retry = el('button', 'retry', 'Retry');
        retry.type = 'button';
        retry.addEventListener('click', () => { publishMessage(active, m); renderMessages(); });
        item.append(' ', retry);
      }
    }
    list.append(item);
  }
  list.scrollTop = list.scrollHeight;
}

function renderMembers() {
  const list = $('members');
  list.replaceChildren();
  const members = [...room(active).members].map(([id, info]) => nickOf(info, id)).sort();
  for (const member of members) list.append(el('li', null, member));
}

function renderTyping() {
  const now = Date.now();
  const who = [...(typing.get(active) ?? new Map())].filter(([, at]) => now - at < 3000).map(([n]) => n);
  $('typing').textContent = who.length === 0 ? '' : `${who.join(', ')} ${who.length === 1 ? 'is' : 'are'} typing…`;
}

$('login').addEventListener('submit', start);
$('composer').addEventListener('submit', send);
$('text').addEventListener('input', typed);
$('new-room').addEventListener('submit', (event) => {
  event.preventDefault();
  join($('room-name').value.trim());
  $('room-name').value = '';
});
setInterval(() => { if (active) renderTyping(); }, 1000);
