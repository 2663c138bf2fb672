// Drives Braid's /echo endpoint with npm's `ws` client and permessage-deflate on.
//
// Usage: node deflate_echo.mjs WS_URI CASE
// Prints "OK <case>" and exits 0, or "FAIL <case>: <why>" and exits 1.
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';

const CASES = {
  // ws's own defaults as a client, but compressing every message (threshold 0)
  'default': { threshold: 0 },
  'no-context-takeover': { threshold: 0, serverNoContextTakeover: true, clientNoContextTakeover: true },
  'server-window-10': { threshold: 0, serverMaxWindowBits: 10 },
  'client-window-9': { threshold: 0, clientMaxWindowBits: 9 },
};

function text(size) {
  let s = '';
  for (let i = 0; s.length < size; i++) {
    s += `{"topic":"sensors/${i % 37}/temp","value":${(i * 7919) % 1000},"note":"héllo ✓"} `;
  }
  return s.slice(0, size);
}

function once(ws, event) {
  return new Promise((resolve, reject) => {
    ws.once(event, (...args) => resolve(args));
    ws.once('error', reject);
  });
}

async function run(uri, name) {
  const ws = new WebSocket(uri, { perMessageDeflate: CASES[name], maxPayload: 32 * 1024 * 1024 });
  await once(ws, 'open');
  if (!ws.extensions.startsWith('permessage-deflate')) {
    throw new Error(`permessage-deflate not negotiated: '${ws.extensions}'`);
  }
  const messages = [text(100_000), 'tiny', '', randomBytes(70_000), Buffer.alloc(300_000), text(100_000)];
  for (const message of messages) {
    ws.send(message, { binary: typeof message !== 'string', compress: true });
    const [data, isBinary] = await once(ws, 'message');
    const same = typeof message === 'string'
      ? !isBinary && data.toString('utf8') === message
      : isBinary && Buffer.compare(data, message) === 0;
    if (!same) {
      throw new Error(`a ${typeof message === 'string' ? 'text' : 'binary'} message of ${message.length} came back changed`);
    }
  }
  ws.close(1000, 'done');
  const [code] = await once(ws, 'close');
  if (code !== 1000) {
    throw new Error(`server answered close 1000 with ${code}`);
  }
}

const [uri, name] = process.argv.slice(2);
if (!uri || !CASES[name]) {
  console.error(`usage: node deflate_echo.mjs WS_URI (${Object.keys(CASES).join('|')})`);
  process.exit(2);
}
const timer = setTimeout(() => { console.log(`FAIL ${name}: timed out`); process.exit(1); }, 60_000);
try {
  await run(uri, name);
  console.log(`OK ${name}`);
  clearTimeout(timer);
} catch (e) {
  console.log(`FAIL ${name}: ${e.message}`);
  process.exit(1);
}
