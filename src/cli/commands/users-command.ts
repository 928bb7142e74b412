// `rxbridge users add|list|reset-mfa|api-key create|rotate|revoke`: accounts and system keys, straight on the store.
// Secrets (passwords, TOTP secrets, API keys) are printed once to stdout and stored only hashed or encrypted.
import type { Command } from 'commander';
import { openSecurity, openStore, type Security } from '../../main.ts';
import { systemClock } from '../../kernel/clock.ts';
import { isPermission, isRole, type Permission, type Role } from '../../governance/rbac/roles.ts';
import type { Store } from '../../platform/store/store.ts';
import { CliError, ExitCode, printJson } from '../cli-output.ts';
import { configFor } from './engine-config.ts';

const ACTOR = 'cli:users';

async function withSecurity<T>(
  program: Command,
  run: (security: Security, store: Store) => Promise<T>,
): Promise<T> {
  const config = configFor(program);
  let store: Store;
  let security: Security;
  try {
    store = await openStore(config);
  } catch (error) {
    throw new CliError(`cannot open the store: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    security = await openSecurity(config, store, systemClock);
  } catch (error) {
    await store.close();
    throw new CliError(`cannot open accounts: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return await run(security, store);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(error instanceof Error ? error.message : String(error));
  } finally {
    await security.governance.close();
    await store.close();
  }
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function roles(values: string[] | undefined): Role[] {
  const list = values ?? [];
  if (list.length === 0) throw new CliError('--role: at least one role', ExitCode.Usage);
  for (const r of list) {
    if (!isRole(r)) throw new CliError(`--role: unknown role ${JSON.stringify(r)}`, ExitCode.Usage);
  }
  return list as Role[];
}

function scopes(values: string[] | undefined): Permission[] | undefined {
  if (!values || values.length === 0) return undefined;
  for (const s of values) {
    if (!isPermission(s))
      throw new CliError(`--scope: unknown permission ${JSON.stringify(s)}`, ExitCode.Usage);
  }
  return values as Permission[];
}

export function registerUsersCommand(program: Command): void {
  const users = program.command('users').description('user accounts, second factors and API keys');

  users
    .command('add')
    .description('add a user; prints a one-time password (and a TOTP secret for pharmacists and admins) once')
    .requiredOption('--username <name>', 'sign-in name')
    .option('--name <display>', 'display name')
    .option('--role <role>', 'role (repeat for several)', collect)
    .option('--site <site>', 'site the user may see (repeat; * for all)', collect)
    .action(async (o: { username: string; name?: string; role?: string[]; site?: string[] }) => {
      const r = roles(o.role);
      await withSecurity(program, async ({ auth }) => {
        const created = await auth.addUser(
          { username: o.username, name: o.name ?? o.username, roles: r, sites: o.site ?? ['main'] },
          ACTOR,
        );
        process.stdout.write(
          [
            `user ${created.user.username} added (id ${created.user.id}; roles ${r.join(', ')})`,
            `one-time password: ${created.password}`,
            ...(created.otpauthUri ? [`authenticator (TOTP): ${created.otpauthUri}`] : []),
            'these are shown once; they are stored only hashed or encrypted',
          ].join('\n') + '\n',
        );
      });
    });

  users
    .command('list')
    .description('list users (no secrets)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      await withSecurity(program, async ({ governance }) => {
        const list = (await governance.users.list()).map((u) => ({
          id: u.id,
          username: u.username,
          name: u.name,
          roles: u.roles,
          sites: u.sites,
          mfa: u.totpSecretEnc !== undefined,
          disabled: u.disabled,
        }));
        if (o.json === true) return printJson(list);
        for (const u of list) {
          process.stdout.write(
            `${u.username}\t${u.roles.join(',')}\t${u.sites.join(',')}\t${u.mfa ? 'mfa' : 'no-mfa'}\n`,
          );
        }
        return undefined;
      });
    });

  users
    .command('reset-mfa <username>')
    .description('give the user a new TOTP secret (printed once) and end their sessions')
    .action(async (username: string) => {
      await withSecurity(program, async ({ auth }) => {
        const { otpauthUri } = await auth.resetMfa(username, ACTOR);
        process.stdout.write(`new authenticator (TOTP) for ${username}: ${otpauthUri}\n`);
      });
    });

  users
    .command('reset-password <username>')
    .description('give the user a new one-time password (printed once) and end their sessions')
    .action(async (username: string) => {
      await withSecurity(program, async ({ auth }) => {
        const password = await auth.resetPassword(username, ACTOR);
        process.stdout.write(`new one-time password for ${username}: ${password}\n`);
      });
    });

  const keys = users.command('api-key').description('API keys for systems (Authorization: ApiKey <key>)');
  keys
    .command('create')
    .description('create a key; prints it once')
    .requiredOption('--name <name>', 'what uses it')
    .option('--role <role>', 'role (repeat)', collect)
    .option('--site <site>', 'site (repeat; default *)', collect)
    .option('--scope <permission>', 'narrow to these permissions (repeat)', collect)
    .action(async (o: { name: string; role?: string[]; site?: string[]; scope?: string[] }) => {
      const r = roles(o.role);
      const s = scopes(o.scope);
      await withSecurity(program, async ({ auth }) => {
        const { id, key } = await auth.createApiKey(
          { name: o.name, roles: r, sites: o.site ?? ['*'], ...(s ? { scopes: s } : {}) },
          ACTOR,
        );
        process.stdout.write(`api key ${id} created (shown once):\n${key}\n`);
      });
    });
  keys
    .command('rotate <id>')
    .description('replace the key secret; the old one stops working at once')
    .action(async (id: string) => {
      await withSecurity(program, async ({ auth }) => {
        const { key } = await auth.rotateApiKey(id, ACTOR);
        process.stdout.write(`api key ${id} rotated (shown once):\n${key}\n`);
      });
    });
  keys
    .command('revoke <id>')
    .description('revoke a key')
    .action(async (id: string) => {
      await withSecurity(program, async ({ auth }) => {
        await auth.revokeApiKey(id, ACTOR);
        process.stdout.write(`api key ${id} revoked\n`);
      });
    });
}
