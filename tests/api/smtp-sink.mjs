// smtp-sink.mjs — a real SMTP server (the `smtp-server` package) on a free
// loopback port that keeps what it receives, for tests of e-mail delivery.
// startSmtpSink() resolves {port, url, messages, waitFor(pred, ms), stop()}.
// Each message: {from, to: [..], raw, subject, text} with the subject and the
// body decoded (base64 and RFC 2047 UTF-8 encoded words, as labimpact sends them).
import { SMTPServer } from 'smtp-server';
import { freePort, sleep } from './helpers.mjs';

/** Decodes "=?UTF-8?B?...?=" words in a header value. */
function decodeWords(v) {
  return v.replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_, b) => Buffer.from(b, 'base64').toString('utf8'));
}

/** Splits a raw message into headers (lowercase names) and the decoded text body. */
export function parseMessage(raw) {
  const sep = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, sep);
  const body = raw.slice(sep + 4);
  const headers = {};
  for (const line of head.split(/\r\n(?![ \t])/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const b64 = /base64/i.test(headers['content-transfer-encoding'] || '');
  const text = b64 ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : body;
  return { headers, subject: decodeWords(headers.subject || ''), text };
}

export async function startSmtpSink() {
  const messages = [];
  const port = await freePort();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        messages.push({
          from: session.envelope.mailFrom && session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          ...parseMessage(raw),
        });
        callback();
      });
    },
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    /** Waits until a message satisfies pred (at most ms); resolves it or null. */
    async waitFor(pred, ms = 15000) {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        const m = messages.find(pred);
        if (m) return m;
        await sleep(100);
      }
      return null;
    },
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
