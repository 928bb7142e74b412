// Sign-in: username, password and, for pharmacists, the 6-digit code from the authenticator app.
import { useState, type FormEvent } from 'react';
import { api, ApiError, type User } from './api.ts';

export function Login({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    api<{ user: User } | User>('/api/session', {
      method: 'POST',
      body: { username, password, ...(totp ? { totp } : {}) },
    })
      .then((r) => onSignedIn('user' in r ? r.user : r))
      .catch((err: unknown) =>
        setError(
          err instanceof ApiError && (err.status === 401 || err.status === 400)
            ? 'That username, password or code is not right. Check them and try again.'
            : err instanceof Error
              ? err.message
              : String(err),
        ),
      )
      .finally(() => setBusy(false));
  };

  return (
    <main className="login" id="main">
      <form onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Sign in to RxBridge</h1>
        <label>
          Username
          <input
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
            autoFocus
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        <label>
          Authenticator code
          <input
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6}"
            maxLength={6}
            value={totp}
            onChange={(e) => setTotp(e.target.value.trim())}
            aria-describedby="totp-help"
          />
        </label>
        <p id="totp-help" className="help">
          Pharmacists: the 6-digit code from your authenticator app.
        </p>
        {error && (
          <p className="banner error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
