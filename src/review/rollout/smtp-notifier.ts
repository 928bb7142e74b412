// Alert email over plain SMTP (RFC 5321) to a local relay: EHLO, MAIL, RCPT, DATA, QUIT. No TLS or AUTH:
// point it at the site's relay (which does those), never at a public server.
import { connect, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { alertBody, type AlertNotifier } from './alerts.ts';

export interface SmtpOptions {
  host: string;
  port: number;
  from: string;
  to: readonly string[];
  timeoutMs?: number;
}

/** Reads SMTP replies: a reply ends at a line whose fourth character is a space (RFC 5321 §4.2.1). */
function replyReader(socket: Socket): () => Promise<{ code: number; text: string }> {
  let buffer = '';
  const waiting: Array<(line: string) => void> = [];
  const lines: string[] = [];
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    let at: number;
    while ((at = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      const next = waiting.shift();
      if (next) next(line);
      else lines.push(line);
    }
  });
  const nextLine = (): Promise<string> =>
    lines.length > 0
      ? Promise.resolve(lines.shift() as string)
      : new Promise((resolve) => waiting.push(resolve));
  return async () => {
    const text: string[] = [];
    for (;;) {
      const line = await nextLine();
      text.push(line.slice(4));
      if (line.charAt(3) !== '-') return { code: Number(line.slice(0, 3)), text: text.join(' ') };
    }
  };
}

function header(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}

export function smtpNotifier(options: SmtpOptions): AlertNotifier {
  return {
    name: 'email',
    notify(alert) {
      return new Promise<void>((resolve, reject) => {
        const socket = connect({ host: options.host, port: options.port });
        socket.setTimeout(options.timeoutMs ?? 10_000, () => socket.destroy(new Error('SMTP timeout')));
        socket.once('error', reject);
        const read = replyReader(socket);
        const step = async (command: string | undefined, expect: number): Promise<void> => {
          if (command !== undefined) socket.write(`${command}\r\n`);
          const reply = await read();
          if (Math.floor(reply.code / 100) !== Math.floor(expect / 100))
            throw new Error(`SMTP ${command?.split(' ')[0] ?? 'greeting'}: ${reply.code} ${reply.text}`);
        };
        const body = JSON.stringify(alertBody(alert), null, 2)
          .split('\n')
          .map((l) => (l.startsWith('.') ? `.${l}` : l));
        const message = [
          `From: ${header(options.from)}`,
          `To: ${options.to.map(header).join(', ')}`,
          `Subject: ${header(`[RxBridge ${alert.severity}] ${alert.rule} ${alert.workflow}`)}`,
          `Date: ${new Date().toUTCString()}`,
          'Content-Type: text/plain; charset=utf-8',
          '',
          header(alert.message),
          '',
          ...body,
          '.',
        ].join('\r\n');
        (async () => {
          await step(undefined, 220);
          await step(`EHLO ${hostname()}`, 250);
          await step(`MAIL FROM:<${options.from}>`, 250);
          for (const to of options.to) await step(`RCPT TO:<${to}>`, 250);
          await step('DATA', 354);
          await step(message, 250);
          socket.write('QUIT\r\n');
          socket.end();
        })().then(resolve, (error: unknown) => {
          socket.destroy();
          reject(error instanceof Error ? error : new Error(String(error)));
        });
      });
    },
  };
}
