// GovernanceStore port: users, sessions, API keys, signed audit checkpoints, consents and break-glass grants.
// Secrets arrive here already hashed or encrypted (the services do it); adapters store what they are given.
import type { Permission, Role } from './rbac/roles.ts';

export interface UserRecord {
  id: string;
  username: string;
  name: string;
  roles: Role[];
  sites: string[];
  /** scrypt hash. */
  passwordHash: string;
  /** TOTP secret, encrypted with the keyring (never plaintext at rest). */
  totpSecretEnc?: string;
  /** Last TOTP step accepted: a code is never accepted twice. */
  totpLastStep?: number;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface SessionRecord {
  /** sha256 of the cookie value: a database reader cannot sign in with it. */
  idHash: string;
  userId: string;
  createdAt: number;
  lastSeenAt: number;
  /** Absolute end, whatever the activity. */
  expiresAt: number;
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  /** sha256 of the secret part. */
  secretHash: string;
  roles: Role[];
  sites: string[];
  scopes: Permission[];
  createdAt: string;
  rotatedAt?: string;
  revokedAt?: string;
}

export interface CheckpointRecord {
  seq: number;
  hash: string;
  at: string;
  keyVersion: number;
  signature: string;
}

export interface ConsentRecord {
  id: string;
  /** Blind index of the patient reference (keyed hash), so lookups never need the plaintext. */
  patientIndex: string;
  /** The FHIR Consent resource, encrypted. */
  resourceEnc: string;
  updatedAt: string;
}

export interface BreakGlassRecord {
  id: string;
  userId: string;
  grantedAt: number;
  expiresAt: number;
  /** Reason and scope, encrypted (a reason may name a patient). */
  detailEnc: string;
}

export interface GovernanceStore {
  readonly users: {
    put(user: UserRecord): Promise<void>;
    byUsername(username: string): Promise<UserRecord | undefined>;
    byId(id: string): Promise<UserRecord | undefined>;
    list(): Promise<UserRecord[]>;
  };
  readonly sessions: {
    put(session: SessionRecord): Promise<void>;
    get(idHash: string): Promise<SessionRecord | undefined>;
    touch(idHash: string, at: number): Promise<void>;
    remove(idHash: string): Promise<void>;
    removeForUser(userId: string): Promise<void>;
  };
  readonly apiKeys: {
    put(key: ApiKeyRecord): Promise<void>;
    get(id: string): Promise<ApiKeyRecord | undefined>;
    list(): Promise<ApiKeyRecord[]>;
  };
  readonly checkpoints: {
    add(checkpoint: CheckpointRecord): Promise<void>;
    /** Oldest first. */
    list(): Promise<CheckpointRecord[]>;
  };
  readonly consents: {
    put(consent: ConsentRecord): Promise<void>;
    forPatient(patientIndex: string): Promise<ConsentRecord[]>;
  };
  readonly breakGlass: {
    add(grant: BreakGlassRecord): Promise<void>;
    /** Grants made at or after `since`, oldest first. */
    since(since: number): Promise<BreakGlassRecord[]>;
    active(userId: string, now: number): Promise<BreakGlassRecord | undefined>;
  };
  close(): Promise<void>;
}
