// Authentication: local users (scrypt + TOTP), sessions (idle and absolute timeouts, new id at every login),
// API keys (hashed, scoped, rotatable) and bearer JWTs (OIDC, CDS Hooks clients).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../kernel/clock.ts';
import { newId } from '../../kernel/ids.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Keyring } from '../crypto/keyring.ts';
import type { ApiKeyRecord, GovernanceStore, UserRecord } from '../governance-store.ts';
import {
  ALL_SITES,
  MFA_ROLES,
  ROLE_PERMISSIONS,
  type Permission,
  type Principal,
  type Role,
} from '../rbac/roles.ts';
import { DUMMY_HASH, generatePassword, hashPassword, passwordProblem, verifyPassword } from './password.ts';
import { newTotpSecret, otpauthUri, verifyTotp } from './totp.ts';
import type { BearerVerifier } from './jwt-verifier.ts';

export const SESSION_COOKIE = 'rxb_session';

export interface AuthSettings {
  /** Idle timeout (default 15 minutes). */
  sessionIdleMs: number;
  /** Absolute lifetime whatever the activity (default 12 hours). */
  sessionAbsoluteMs: number;
  /** Site of objects that carry none. */
  defaultSite: string;
}

export const DEFAULT_AUTH_SETTINGS: AuthSettings = {
  sessionIdleMs: 15 * 60_000,
  sessionAbsoluteMs: 12 * 3_600_000,
  defaultSite: 'main',
};

export interface RequestCredentials {
  cookie?: string | undefined;
  authorization?: string | undefined;
  /** Request path, for CDS Hooks audience checks. */
  path: string;
}

export interface LoginResult {
  token: string;
  principal: Principal;
  expiresAt: Date;
}

export interface NewUser {
  username: string;
  name: string;
  roles: Role[];
  sites: string[];
  /** Generated when absent. */
  password?: string;
}

export interface CreatedUser {
  user: UserRecord;
  password: string;
  /** Only for roles that need MFA (or when asked). */
  totpSecret?: string;
  otpauthUri?: string;
}

export interface Authenticator {
  readonly settings: AuthSettings;
  login(
    username: string,
    password: string,
    totp: string | undefined,
    source: string,
  ): Promise<LoginResult | undefined>;
  logout(token: string): Promise<void>;
  /** Resolves a request's credentials; undefined when absent or invalid. */
  authenticate(credentials: RequestCredentials): Promise<Principal | undefined>;
  addUser(user: NewUser, actor: string): Promise<CreatedUser>;
  resetMfa(username: string, actor: string): Promise<{ totpSecret: string; otpauthUri: string }>;
  /** A new one-time password (returned once); ends the user's sessions. */
  resetPassword(username: string, actor: string): Promise<string>;
  createApiKey(
    input: { name: string; roles: Role[]; sites: string[]; scopes?: Permission[] },
    actor: string,
  ): Promise<{ id: string; key: string }>;
  rotateApiKey(id: string, actor: string): Promise<{ id: string; key: string }>;
  revokeApiKey(id: string, actor: string): Promise<void>;
  /** The principal's current break-glass grant is applied by authenticate(). */
  grantBreakGlass(
    principal: Principal,
    reason: string,
    minutes: number,
    source: string,
  ): Promise<{ id: string; expiresAt: Date }>;
}

export interface AuthenticatorDeps {
  store: GovernanceStore;
  keyring: Keyring;
  clock: Clock;
  audit?: AuditLog;
  bearer?: BearerVerifier;
  settings?: Partial<AuthSettings>;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

/** `rxb_<id>.<secret>`: the id finds the record, the secret is compared by hash. */
function parseApiKey(key: string): { id: string; secret: string } | undefined {
  const m = /^rxb_([A-Za-z0-9]{8,40})\.([A-Za-z0-9_-]{20,100})$/.exec(key.trim());
  return m ? { id: m[1] as string, secret: m[2] as string } : undefined;
}

/** Touching a session at most this often keeps idle tracking cheap (one write per window, not per request). */
const TOUCH_EVERY_MS = 10_000;

export function createAuthenticator(deps: AuthenticatorDeps): Authenticator {
  const settings: AuthSettings = { ...DEFAULT_AUTH_SETTINGS, ...deps.settings };
  const { store, keyring, clock } = deps;
  const now = (): Date => clock.now();

  const audit = async (entry: {
    actor: string;
    action: 'login' | 'create' | 'update' | 'delete' | 'execute';
    category: string;
    source: string;
    outcome: 'success' | 'failure' | 'denied';
    entity?: string;
    detail?: string;
  }): Promise<void> => {
    await deps.audit?.record(entry);
  };

  const principalOfUser = async (user: UserRecord, sessionId?: string): Promise<Principal> => {
    const grant = user.roles.some((r) => ROLE_PERMISSIONS[r].includes('break-glass'))
      ? await store.breakGlass.active(user.id, now().getTime())
      : undefined;
    return {
      kind: 'user',
      id: user.id,
      name: user.name,
      roles: user.roles,
      sites: user.sites,
      ...(grant ? { breakGlassUntil: new Date(grant.expiresAt) } : {}),
      ...(sessionId !== undefined ? { sessionId } : {}),
    };
  };

  const fromSession = async (token: string): Promise<Principal | undefined> => {
    if (!/^[A-Za-z0-9_-]{30,100}$/.test(token)) return undefined;
    const idHash = sha256(token);
    const session = await store.sessions.get(idHash);
    if (!session) return undefined;
    const t = now().getTime();
    if (t >= session.expiresAt || t - session.lastSeenAt >= settings.sessionIdleMs) {
      await store.sessions.remove(idHash);
      return undefined;
    }
    const user = await store.users.byId(session.userId);
    if (!user || user.disabled) return undefined;
    if (t - session.lastSeenAt >= TOUCH_EVERY_MS) await store.sessions.touch(idHash, t);
    return principalOfUser(user, idHash.slice(0, 16));
  };

  const fromApiKey = async (key: string): Promise<Principal | undefined> => {
    const parsed = parseApiKey(key);
    if (!parsed) return undefined;
    const record = await store.apiKeys.get(parsed.id);
    if (!record || record.revokedAt !== undefined) return undefined;
    const a = Buffer.from(sha256(parsed.secret), 'hex');
    const b = Buffer.from(record.secretHash, 'hex');
    if (a.length !== b.length || !timingSafeEqual(a, b)) return undefined;
    return {
      kind: 'api-key',
      id: record.id,
      name: record.name,
      roles: record.roles,
      sites: record.sites,
      scopes: record.scopes,
    };
  };

  const newApiSecret = (): string => randomBytes(24).toString('base64url');

  const userTotpSecret = (user: UserRecord): string | undefined =>
    user.totpSecretEnc === undefined ? undefined : keyring.decryptText(user.totpSecretEnc, `totp:${user.id}`);

  return {
    settings,

    async login(username, password, totp, source) {
      const user = await store.users.byUsername(username);
      // Always hash once, so an unknown user takes as long as a wrong password.
      const passwordOk = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
      let ok = user !== undefined && !user.disabled && passwordOk;
      let step: number | undefined;
      if (ok && user) {
        const secret = userTotpSecret(user);
        const needsMfa = user.roles.some((r) => MFA_ROLES.has(r));
        if (secret !== undefined || needsMfa) {
          step =
            secret === undefined || totp === undefined
              ? undefined
              : verifyTotp(secret, totp, now(), user.totpLastStep ?? -1);
          ok = step !== undefined;
        }
      }
      if (!ok || !user) {
        await audit({
          actor: user ? `user:${user.id}` : 'anonymous',
          action: 'login',
          category: 'session',
          source,
          outcome: 'failure',
        });
        return undefined;
      }
      if (step !== undefined) await store.users.put({ ...user, totpLastStep: step });
      const token = randomBytes(32).toString('base64url');
      const t = now().getTime();
      const expiresAt = t + settings.sessionAbsoluteMs;
      await store.sessions.put({
        idHash: sha256(token),
        userId: user.id,
        createdAt: t,
        lastSeenAt: t,
        expiresAt,
      });
      await audit({
        actor: `user:${user.id}`,
        action: 'login',
        category: 'session',
        source,
        outcome: 'success',
      });
      return { token, principal: await principalOfUser(user), expiresAt: new Date(expiresAt) };
    },

    async logout(token) {
      await store.sessions.remove(sha256(token));
    },

    async authenticate(credentials) {
      const auth = credentials.authorization?.trim();
      if (auth) {
        const space = auth.indexOf(' ');
        const scheme = space > 0 ? auth.slice(0, space).toLowerCase() : '';
        const value = space > 0 ? auth.slice(space + 1).trim() : '';
        if (scheme === 'apikey') return fromApiKey(value);
        if (scheme === 'bearer') return deps.bearer?.verify(value, credentials.path, now());
        return undefined;
      }
      const token = parseCookies(credentials.cookie).get(SESSION_COOKIE);
      return token ? fromSession(token) : undefined;
    },

    async addUser(input, actor) {
      if (!/^[a-z0-9][a-z0-9._-]{1,62}$/.test(input.username)) {
        throw new Error('username: 2-63 lower-case letters, digits, dot, dash or underscore');
      }
      if (input.roles.length === 0) throw new Error('roles: at least one role');
      if (input.sites.length === 0) throw new Error('sites: at least one site (or *)');
      if (await store.users.byUsername(input.username))
        throw new Error(`user ${input.username} already exists`);
      const password = input.password ?? generatePassword();
      const problem = passwordProblem(password);
      if (problem) throw new Error(problem);
      const id = newId();
      const needsMfa = input.roles.some((r) => MFA_ROLES.has(r));
      const totpSecret = needsMfa ? newTotpSecret() : undefined;
      const at = now().toISOString();
      const user: UserRecord = {
        id,
        username: input.username,
        name: input.name,
        roles: input.roles,
        sites: input.sites,
        passwordHash: await hashPassword(password),
        ...(totpSecret ? { totpSecretEnc: keyring.encryptText(totpSecret, `totp:${id}`) } : {}),
        disabled: false,
        createdAt: at,
        updatedAt: at,
      };
      await store.users.put(user);
      await audit({
        actor,
        action: 'create',
        category: 'user',
        source: 'users add',
        outcome: 'success',
        entity: `user:${id}`,
        detail: `roles ${input.roles.join(',')} sites ${input.sites.join(',')}`,
      });
      return {
        user,
        password,
        ...(totpSecret ? { totpSecret, otpauthUri: otpauthUri(totpSecret, input.username) } : {}),
      };
    },

    async resetMfa(username, actor) {
      const user = await store.users.byUsername(username);
      if (!user) throw new Error(`no user ${username}`);
      const totpSecret = newTotpSecret();
      const { totpLastStep: _drop, ...rest } = user;
      await store.users.put({
        ...rest,
        totpSecretEnc: keyring.encryptText(totpSecret, `totp:${user.id}`),
        updatedAt: now().toISOString(),
      });
      // A new second factor ends every session signed in with the old one.
      await store.sessions.removeForUser(user.id);
      await audit({
        actor,
        action: 'update',
        category: 'user',
        source: 'users reset-mfa',
        outcome: 'success',
        entity: `user:${user.id}`,
      });
      return { totpSecret, otpauthUri: otpauthUri(totpSecret, username) };
    },

    async resetPassword(username, actor) {
      const user = await store.users.byUsername(username);
      if (!user) throw new Error(`no user ${username}`);
      const password = generatePassword();
      await store.users.put({
        ...user,
        passwordHash: await hashPassword(password),
        updatedAt: now().toISOString(),
      });
      await store.sessions.removeForUser(user.id);
      await audit({
        actor,
        action: 'update',
        category: 'user',
        source: 'users reset-password',
        outcome: 'success',
        entity: `user:${user.id}`,
      });
      return password;
    },

    async createApiKey(input, actor) {
      if (input.roles.length === 0) throw new Error('an API key needs at least one role');
      const allowed = new Set(input.roles.flatMap((r) => ROLE_PERMISSIONS[r]));
      const scopes = input.scopes ?? [...allowed];
      const extra = scopes.filter((s) => !allowed.has(s));
      if (extra.length > 0) throw new Error(`scopes not granted by the roles: ${extra.join(', ')}`);
      const id = randomBytes(9).toString('hex');
      const secret = newApiSecret();
      const record: ApiKeyRecord = {
        id,
        name: input.name,
        secretHash: sha256(secret),
        roles: input.roles,
        sites: input.sites.length > 0 ? input.sites : [ALL_SITES],
        scopes,
        createdAt: now().toISOString(),
      };
      await store.apiKeys.put(record);
      await audit({
        actor,
        action: 'create',
        category: 'api-key',
        source: 'users api-key create',
        outcome: 'success',
        entity: `api-key:${id}`,
        detail: `roles ${input.roles.join(',')} scopes ${scopes.join(',')}`,
      });
      return { id, key: `rxb_${id}.${secret}` };
    },

    async rotateApiKey(id, actor) {
      const record = await store.apiKeys.get(id);
      if (!record || record.revokedAt !== undefined) throw new Error(`no active API key ${id}`);
      const secret = newApiSecret();
      await store.apiKeys.put({ ...record, secretHash: sha256(secret), rotatedAt: now().toISOString() });
      await audit({
        actor,
        action: 'update',
        category: 'api-key',
        source: 'users api-key rotate',
        outcome: 'success',
        entity: `api-key:${id}`,
      });
      return { id, key: `rxb_${id}.${secret}` };
    },

    async revokeApiKey(id, actor) {
      const record = await store.apiKeys.get(id);
      if (!record) throw new Error(`no API key ${id}`);
      await store.apiKeys.put({ ...record, revokedAt: now().toISOString() });
      await audit({
        actor,
        action: 'delete',
        category: 'api-key',
        source: 'users api-key revoke',
        outcome: 'success',
        entity: `api-key:${id}`,
      });
    },

    async grantBreakGlass(principal, reason, minutes, source) {
      if (principal.kind !== 'user') throw new Error('break-glass is for signed-in users');
      if (reason.trim().length < 10) throw new Error('reason: say why, in at least 10 characters');
      if (!Number.isFinite(minutes) || minutes < 1 || minutes > 240) {
        throw new Error('minutes: from 1 to 240');
      }
      const id = newId();
      const t = now().getTime();
      const expiresAt = t + Math.round(minutes) * 60_000;
      await store.breakGlass.add({
        id,
        userId: principal.id,
        grantedAt: t,
        expiresAt,
        detailEnc: keyring.encryptText(
          JSON.stringify({ reason: reason.trim(), minutes }),
          `break-glass:${id}`,
        ),
      });
      await deps.audit?.record({
        actor: `user:${principal.id}`,
        action: 'execute',
        category: 'break-glass',
        source,
        outcome: 'success',
        entity: `break-glass:${id}`,
        detail: `emergency access for ${Math.round(minutes)} min`,
      });
      return { id, expiresAt: new Date(expiresAt) };
    },
  };
}

/** Decrypted break-glass reason (for the daily report). */
export function breakGlassDetail(
  keyring: Keyring,
  record: { id: string; detailEnc: string },
): {
  reason: string;
  minutes: number;
} {
  return JSON.parse(keyring.decryptText(record.detailEnc, `break-glass:${record.id}`)) as {
    reason: string;
    minutes: number;
  };
}
