// What the signed-in user may see: a copy of the role → permission table in src/governance/rbac/roles.ts, used
// only to choose which pages and panels to show. The engine enforces the same table on every request.

const ROLE_PERMISSIONS: Record<string, readonly string[]> = {
  pharmacist: ['tasks:read', 'tasks:decide', 'break-glass'],
  technician: ['tasks:read'],
  'integration-engineer': ['messages:read', 'messages:replay', 'interfaces:manage'],
  'compliance-officer': ['audit:read', 'consent:manage'],
  admin: ['admin:manage', 'interfaces:manage', 'break-glass'],
};

export function may(user: { roles: readonly string[] }, permission: string): boolean {
  return user.roles.some((r) => ROLE_PERMISSIONS[r]?.includes(permission) ?? false);
}
