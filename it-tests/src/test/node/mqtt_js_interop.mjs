// MQTT.js 5 (npm 'mqtt', an independent client) against Braid's MQTT listener, over TCP and over WebSocket, as
// MQTT 3.1.1 (protocolVersion 4) and MQTT 5. Usage:
//
//   node mqtt_js_interop.mjs mqtt://127.0.0.1:P ws://127.0.0.1:Q/mqtt GROUP [key=value ...]
//
// GROUP is core, sessions or v5; the key=value pairs are the broker's settings the scenarios check against
// (receiveMaximum, topicAliasMaximum, maxKeepAlive). Prints one line per scenario run, "ok NAME TRANSPORT vN" or
// "FAIL NAME TRANSPORT vN: why", and exits 1 if any failed. Each run has its own deadline, and fails too if MQTT.js
// raised an 'error' on any of its clients (unless the scenario expects one: allowErrors).
import { Run } from './mqtt_interop/harness.mjs';
import { coreScenarios } from './mqtt_interop/core.mjs';
import { sessionScenarios } from './mqtt_interop/sessions.mjs';
import { v5Scenarios } from './mqtt_interop/v5.mjs';

const SCENARIO_DEADLINE_MS = 30_000;
const GROUPS = { core: coreScenarios, sessions: sessionScenarios, v5: v5Scenarios };

const [tcpUrl, wsUrl, group, ...settings] = process.argv.slice(2);
if (!tcpUrl || !wsUrl || !GROUPS[group]) {
  console.error('usage: node mqtt_js_interop.mjs mqtt://HOST:PORT ws://HOST:PORT/mqtt core|sessions|v5 '
    + '[key=value ...]');
  process.exit(2);
}
const limits = Object.fromEntries(settings.map((setting) => {
  const [key, value] = setting.split('=');
  return [key, Number(value)];
}));

// an error MQTT.js raises outside any awaited promise must fail the run, not pass unnoticed
let stray = null;
process.on('unhandledRejection', (reason) => {
  stray = reason;
});

let failures = 0;
for (const scenario of GROUPS[group]) {
  for (const [transport, url] of [['tcp', tcpUrl], ['ws', wsUrl]]) {
    for (const version of scenario.versions) {
      const label = `${scenario.name} ${transport} v${version}`;
      const run = new Run(url, transport, version, scenario.name, limits);
      let timer;
      try {
        await Promise.race([
          scenario.run(run),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`scenario deadline of ${SCENARIO_DEADLINE_MS} ms`)),
              SCENARIO_DEADLINE_MS);
          }),
        ]);
        if (stray) {
          throw stray;
        }
        if (run.errors.length > 0 && !scenario.allowErrors) {
          throw new Error(`MQTT.js reported errors: ${run.errors.join('; ')}`);
        }
        console.log(`ok ${label}`);
      } catch (error) {
        failures++;
        console.log(`FAIL ${label}: ${error && error.message ? error.message : error}`);
      } finally {
        clearTimeout(timer);
        stray = null;
        await run.closeAll();
      }
    }
  }
}
console.log(`${failures === 0 ? 'PASSED' : 'FAILED'} group ${group}: ${failures} failure(s)`);
process.exit(failures === 0 ? 0 : 1);
