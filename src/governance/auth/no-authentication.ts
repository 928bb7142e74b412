// For servers that expose only public routes (a scaled-mode worker's health port): nobody signs in.
import { DEFAULT_AUTH_SETTINGS, type Authenticator } from './authenticator.ts';

const refuse = (): Promise<never> => Promise.reject(new Error('this server has no user accounts'));

export const NO_AUTHENTICATION: Authenticator = {
  settings: DEFAULT_AUTH_SETTINGS,
  login: () => Promise.resolve(undefined),
  logout: () => Promise.resolve(),
  authenticate: () => Promise.resolve(undefined),
  addUser: refuse,
  resetMfa: refuse,
  resetPassword: refuse,
  createApiKey: refuse,
  rotateApiKey: refuse,
  revokeApiKey: refuse,
  grantBreakGlass: refuse,
};
