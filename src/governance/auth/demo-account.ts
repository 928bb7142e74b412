// Demo mode: one pharmacist account, created at the first start; its credentials are shown once (never logged).
import type { Authenticator, CreatedUser } from './authenticator.ts';
import type { GovernanceStore } from '../governance-store.ts';
import { ALL_SITES } from '../rbac/roles.ts';

export const DEMO_USERNAME = 'demo-pharmacist';

/**
 * Creates the demo pharmacist unless it exists; returns the new credentials only when it was created now. The demo
 * pharmacy spans several sites, so the demo pharmacist sees every site.
 */
export async function ensureDemoAccount(
  auth: Authenticator,
  store: GovernanceStore,
): Promise<CreatedUser | undefined> {
  if (await store.users.byUsername(DEMO_USERNAME)) return undefined;
  try {
    return await auth.addUser(
      { username: DEMO_USERNAME, name: 'Demo Pharmacist', roles: ['pharmacist'], sites: [ALL_SITES] },
      'system:demo',
    );
  } catch (error) {
    // Several processes started together on a new database: another one created it first.
    if (await store.users.byUsername(DEMO_USERNAME)) return undefined;
    throw error;
  }
}

/** The lines printed to the terminal (stdout) once. */
export function demoCredentialLines(created: CreatedUser): string[] {
  return [
    '  demo sign-in (shown once; not written to any log):',
    `    username: ${created.user.username}`,
    `    one-time password: ${created.password}`,
    ...(created.otpauthUri ? [`    authenticator (TOTP): ${created.otpauthUri}`] : []),
  ];
}
