// Roles, permissions and site scoping: who may do what, and where.

export const ROLES = [
  'pharmacist',
  'technician',
  'integration-engineer',
  'compliance-officer',
  'admin',
  'system',
] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  /** Review tasks: list and read (patient data). */
  'tasks:read',
  /** Decide on tasks: approve, edit, reject, apply. */
  'tasks:decide',
  /** Message browser: list, read raw messages. */
  'messages:read',
  /** Replay stored messages. */
  'messages:replay',
  /** Submit data (webhooks, FHIR pushes) as a system. */
  'ingest:write',
  /** Call CDS Hooks services (a CDS client / EHR). */
  'cds:invoke',
  /** Audit report, export, break-glass review. */
  'audit:read',
  /** Manage consent records. */
  'consent:manage',
  /** Users, API keys, configuration. */
  'admin:manage',
  /** Emergency access across sites (time-boxed, reason required). */
  'break-glass',
  /** Rollouts and interface configuration. */
  'interfaces:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  pharmacist: ['tasks:read', 'tasks:decide', 'break-glass'],
  technician: ['tasks:read'],
  'integration-engineer': ['messages:read', 'messages:replay', 'interfaces:manage'],
  'compliance-officer': ['audit:read', 'consent:manage'],
  admin: ['admin:manage', 'interfaces:manage', 'break-glass'],
  system: ['ingest:write', 'cds:invoke'],
};

/** Roles that must use a second factor (TOTP) to sign in. */
export const MFA_ROLES: ReadonlySet<Role> = new Set<Role>(['pharmacist', 'admin']);

/** Every site. Only compliance officers, admins and systems get it by default. */
export const ALL_SITES = '*';

export type PrincipalKind = 'user' | 'api-key' | 'oidc' | 'cds-client';

export interface Principal {
  kind: PrincipalKind;
  /** Stable id: user id, API key id, OIDC subject, CDS client issuer. */
  id: string;
  name: string;
  roles: readonly Role[];
  /** Sites this principal may see; `*` for all. */
  sites: readonly string[];
  /** API keys: the permissions they were scoped to (a subset of their roles'). */
  scopes?: readonly Permission[];
  /** Active break-glass grant (user principals), expires at. */
  breakGlassUntil?: Date;
  /** The session this request belongs to (user principals signed in with a password). */
  sessionId?: string;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

export function permissionsOf(principal: Pick<Principal, 'roles' | 'scopes'>): Set<Permission> {
  const all = new Set<Permission>();
  for (const role of principal.roles) for (const p of ROLE_PERMISSIONS[role]) all.add(p);
  if (principal.scopes === undefined) return all;
  return new Set(principal.scopes.filter((p) => all.has(p)));
}

export function can(principal: Principal, permission: Permission): boolean {
  return permissionsOf(principal).has(permission);
}

/** Site scoping: an object with no site belongs to the default site. Break-glass opens every site until it ends. */
export function canSeeSite(
  principal: Principal,
  site: string | null | undefined,
  now: Date,
  defaultSite: string,
): boolean {
  const s = site ?? defaultSite;
  if (principal.sites.includes(ALL_SITES) || principal.sites.includes(s)) return true;
  return principal.breakGlassUntil !== undefined && principal.breakGlassUntil.getTime() > now.getTime();
}

/** The actor string written to the audit log. */
export function actorOf(principal: Principal | undefined): string {
  if (!principal) return 'anonymous';
  return `${principal.kind}:${principal.id}`;
}
