// Reads JSON messages, one a line, from standard input; writes each decoded and encoded again by the JavaScript
// codec, one a line (or "ERROR <reason>"). For JavaScriptCodecAgreementTest, which checks the Java codec reads back
// what it wrote.
import { createInterface } from 'node:readline';
import { decodeMessage, encodeMessage } from '../../main/resources/chat-web/braid-json.js';

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  try {
    process.stdout.write(`${encodeMessage(decodeMessage(line))}\n`);
  } catch (e) {
    process.stdout.write(`ERROR ${e.message}\n`);
  }
}
