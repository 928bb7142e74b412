// The shell: sign-in, then the navigation and the page the hash names.
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, type User } from './api.ts';
import { Dashboard } from './Dashboard.tsx';
import { Login } from './Login.tsx';
import { Messages } from './Messages.tsx';
import { PatientTimeline } from './PatientTimeline.tsx';
import { Queue } from './Queue.tsx';
import { useRoute } from './route.ts';
import { TaskView } from './TaskView.tsx';

export function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const route = useRoute();

  useEffect(() => {
    api<{ user: User }>('/api/session')
      .then((r) => setUser(r.user))
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 401) setUser(null);
        else setError(e instanceof Error ? e.message : String(e));
      });
  }, []);

  const signOut = useCallback(() => {
    void api('/api/session', { method: 'DELETE' }).finally(() => setUser(null));
  }, []);

  if (error)
    return (
      <p className="banner error" role="alert">
        {error}
      </p>
    );
  if (user === undefined)
    return (
      <p className="loading" role="status">
        Checking your session…
      </p>
    );
  if (user === null) return <Login onSignedIn={setUser} />;

  // Pages by role (the server enforces the same): tasks for pharmacists and technicians, messages for integration.
  const works = user.roles.some((r) => r === 'pharmacist' || r === 'technician');
  const integrates = user.roles.some((r) => r === 'integration-engineer');
  const nav = [
    ...(works
      ? [
          { href: '#/queue', label: 'Queue', active: route.page === 'queue' || route.page === 'task' },
          { href: '#/dashboard', label: 'Dashboard', active: route.page === 'dashboard' },
        ]
      : []),
    ...(integrates ? [{ href: '#/messages', label: 'Messages', active: route.page === 'messages' }] : []),
  ];
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">RxBridge</span>
        <nav aria-label="Main">
          {nav.map((n) => (
            <a key={n.href} href={n.href} aria-current={n.active ? 'page' : undefined}>
              {n.label}
            </a>
          ))}
        </nav>
        <span className="who">
          {user.name} · {user.roles.join(', ')}
          <button type="button" className="link" onClick={signOut}>
            Sign out
          </button>
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        {route.page === 'queue' && (works || !integrates) && <Queue user={user} />}
        {route.page === 'queue' && !works && integrates && <Messages />}
        {route.page === 'task' && <TaskView id={route.id} user={user} />}
        {route.page === 'dashboard' && <Dashboard />}
        {route.page === 'messages' && <Messages />}
        {route.page === 'patient' && <PatientTimeline id={route.id} />}
      </main>
    </>
  );
}
