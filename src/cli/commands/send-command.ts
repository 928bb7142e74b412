// `rxbridge send --mllp host:port file.hl7...`: sends HL7 v2 messages over MLLP and prints each ACK's MSA and ERR.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { framesOf, MllpDeframer } from '../../inbound/mllp/mllp-framer.ts';
import type { MllpClientTlsOptions } from '../../inbound/mllp/mllp-sender.ts';
import { MllpSender, readMsa } from '../../inbound/mllp/mllp-sender.ts';
import { CliError, ExitCode } from '../cli-output.ts';

interface SendOptions {
  mllp: string;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  timeout: string;
}

/**
 * The messages a file holds: MLLP blocks when it has a start byte, otherwise one message per MSH (messages may
 * be separated by blank lines or not at all). Segment ends become CR (LF and CRLF are tolerated on input).
 */
export function splitHl7File(bytes: Buffer): string[] {
  const texts = bytes.includes(0x0b)
    ? framesOf(new MllpDeframer().feed(bytes)).map((f) => f.toString('utf8'))
    : [bytes.toString('utf8')];
  const out: string[] = [];
  for (const text of texts) {
    const lines = text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/);
    let current: string[] = [];
    const flush = (): void => {
      if (current.length > 0) out.push(current.join('\r') + '\r');
      current = [];
    };
    for (const line of lines) {
      if (line.trim() === '') continue;
      if (line.startsWith('MSH')) flush();
      current.push(line);
    }
    flush();
  }
  return out;
}

function parseTarget(value: string): { host: string; port: number } {
  const m = /^(.+):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 1 || port > 65535)
    throw new CliError(`--mllp must be host:port, got "${value}"`, ExitCode.Usage);
  return { host: (m[1] as string).replace(/^\[(.*)\]$/, '$1'), port };
}

async function readPem(file: string | undefined, what: string): Promise<string | undefined> {
  if (file === undefined) return undefined;
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new CliError(`cannot read the ${what} file ${file}`, ExitCode.Usage);
  }
}

export function registerSendCommand(program: Command): void {
  program
    .command('send')
    .description(
      'send HL7 v2 messages over MLLP and print each ACK (MSA and ERR); exit 1 unless all are AA/CA',
    )
    .requiredOption('--mllp <host:port>', 'the MLLP listener to send to')
    .option('--tls-ca <file>', 'use TLS, trusting the server certificate signed by this CA (PEM)')
    .option('--tls-cert <file>', 'client certificate for mutual TLS (PEM)')
    .option('--tls-key <file>', 'client key for mutual TLS (PEM)')
    .option('--timeout <ms>', 'longest wait for each ACK', '30000')
    .argument('<files...>', 'files holding one or more messages (blank-line separated or MLLP-framed)')
    .action(async (files: string[], options: SendOptions) => {
      const { host, port } = parseTarget(options.mllp);
      const timeoutMs = Number(options.timeout);
      if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
        throw new CliError('--timeout must be a positive number of milliseconds', ExitCode.Usage);
      const messages: Array<{ file: string; text: string }> = [];
      for (const file of files) {
        let bytes: Buffer;
        try {
          bytes = await readFile(file);
        } catch {
          throw new CliError(`cannot read ${file}`, ExitCode.Failed);
        }
        const found = splitHl7File(bytes);
        if (found.length === 0)
          throw new CliError(`${file}: no HL7 v2 message (nothing starts with MSH)`, ExitCode.Failed);
        for (const text of found) messages.push({ file, text });
      }
      const ca = await readPem(options.tlsCa, '--tls-ca');
      const cert = await readPem(options.tlsCert, '--tls-cert');
      const key = await readPem(options.tlsKey, '--tls-key');
      const useTls = ca !== undefined || cert !== undefined;
      const tls: MllpClientTlsOptions = {
        ...(ca !== undefined ? { ca } : {}),
        ...(cert !== undefined ? { cert } : {}),
        ...(key !== undefined ? { key } : {}),
      };
      const sender = new MllpSender({
        host,
        port,
        timeoutMs,
        maxInFlight: 1,
        reconnect: { maxAttempts: 3 },
        ...(useTls ? { tls } : {}),
      });
      try {
        await sender.connect();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new CliError(
          `${reason}${error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : ''}`,
        );
      }
      let accepted = 0;
      try {
        // One at a time, in file order, so each ACK is printed next to the message it answers.
        for (const [i, m] of messages.entries()) {
          const ack = await sender.send(m.text);
          const segments = ack.text.split(/\r\n|\r|\n/);
          const { code } = readMsa(ack.text);
          if (code === 'AA' || code === 'CA') accepted++;
          process.stdout.write(
            `${m.file} #${i + 1}: ${segments.find((s) => s.startsWith('MSA')) ?? '(no MSA in the ACK)'}\n`,
          );
          for (const err of segments.filter((s) => s.startsWith('ERR'))) process.stdout.write(`  ${err}\n`);
        }
      } catch (error) {
        throw new CliError(`sending stopped: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        await sender.close();
      }
      if (accepted !== messages.length)
        throw new CliError(`${messages.length - accepted} of ${messages.length} messages not accepted`);
      process.stderr.write(`${accepted} of ${messages.length} messages accepted\n`);
    });
}
