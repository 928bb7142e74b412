// `rxbridge messages list|show|replay`: the message browser for the engineer on call, straight on the store.
import type { Command } from 'commander';
import { openStore } from '../../main.ts';
import { MESSAGE_STATES, canReplay, type MessageState } from '../../platform/store/message-state.ts';
import type { Store } from '../../platform/store/store.ts';
import { CliError, ExitCode, printJson } from '../cli-output.ts';
import { configFor } from './engine-config.ts';

async function withStore<T>(program: Command, run: (store: Store) => Promise<T>): Promise<T> {
  const config = configFor(program);
  let store: Store;
  try {
    store = await openStore(config);
  } catch (error) {
    throw new CliError(`cannot open the store: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

export function registerMessagesCommand(program: Command): void {
  const messages = program.command('messages').description('browse, inspect and replay stored messages');

  messages
    .command('list')
    .description('list stored messages, newest first (ids, states and headers; no content)')
    .option('--state <state>', `only this state (${MESSAGE_STATES.join(', ')})`)
    .option('--limit <n>', 'how many', '20')
    .option('--json', 'print JSON')
    .action(async (options: { state?: string; limit: string; json?: boolean }) => {
      if (options.state !== undefined && !(MESSAGE_STATES as readonly string[]).includes(options.state)) {
        throw new CliError(`--state: unknown state ${JSON.stringify(options.state)}`, ExitCode.Usage);
      }
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
        throw new CliError('--limit: a whole number from 1 to 10000', ExitCode.Usage);
      }
      await withStore(program, async (store) => {
        const list = await store.messages.list({
          limit,
          ...(options.state !== undefined ? { state: options.state as MessageState } : {}),
        });
        await store.audit.record({
          actor: 'cli',
          action: 'read',
          category: 'message',
          source: 'rxbridge messages list',
          outcome: 'success',
          detail: `listed ${list.length}`,
        });
        if (options.json === true) {
          printJson(list.map((m) => ({ ...m, raw: undefined })));
          return;
        }
        process.stdout.write(
          `${pad('ID', 37)}${pad('RECEIVED', 25)}${pad('TYPE', 10)}${pad('STATE', 16)}ATTEMPTS  CONTROL ID\n`,
        );
        for (const m of list) {
          process.stdout.write(
            `${pad(m.id, 37)}${pad(m.receivedAt.toISOString(), 25)}${pad(m.summary.type ?? '-', 10)}${pad(m.state, 16)}${pad(String(m.attempts), 10)}${m.summary.controlId ?? '-'}\n`,
          );
        }
        if (list.length === 0) process.stdout.write('(no messages)\n');
      });
    });

  messages
    .command('show')
    .description('one message: header, state, attempts, last error, raw text and lifecycle')
    .argument('<id>', 'message id')
    .action(async (id: string) => {
      await withStore(program, async (store) => {
        const m = await store.messages.get(id);
        if (!m) throw new CliError(`no message with id ${id}`);
        await store.audit.record({
          actor: 'cli',
          action: 'read',
          category: 'message',
          patient: m.partitionKey,
          entity: m.id,
          source: 'rxbridge messages show',
          outcome: 'success',
        });
        const events = await store.messages.events(id);
        printJson({
          ...m,
          raw: Buffer.from(m.raw).toString('utf8').split('\r'),
          events,
        });
      });
    });

  messages
    .command('replay')
    .description('reprocess a finished or dead message from its raw bytes (the running engine picks it up)')
    .argument('<id>', 'message id')
    .requiredOption('--reason <text>', 'why (recorded in the audit trail)')
    .action(async (id: string, options: { reason: string }) => {
      if (options.reason.trim().length < 3)
        throw new CliError('--reason: say why, in a few words', ExitCode.Usage);
      await withStore(program, async (store) => {
        const m = await store.messages.get(id);
        if (!m) throw new CliError(`no message with id ${id}`);
        if (!canReplay(m.state)) {
          throw new CliError(`message ${id} is ${m.state}; only finished or dead messages can be replayed`);
        }
        await store.messages.replay(id, 'cli', options.reason.trim());
        process.stdout.write(`message ${id} queued for replay (was ${m.state})\n`);
      });
    });
}
