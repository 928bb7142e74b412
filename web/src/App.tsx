// The shell: sign-in, then the navigation and the page the hash names.
import { useCallback, useEffect, useState } from 'react';
import { may } from './access.ts';
import { api, ApiError, type User } from './api.ts';
import { AuditReport } from './AuditReport.tsx';
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

  // Pages by permission (the server enforces the same): tasks for pharmacists and technicians, messages for
  // integration engineers, the audit report for compliance officers, alerts for whoever manages interfaces.
  const works = may(user, 'tasks:read');
  const integrates = may(user, 'messages:read');
  const audits = may(user, 'audit:read');
  const seesAlerts = may(user, 'interfaces:manage');
  // The start page (#/queue) for someone without a queue is their first page.
  const home = works
    ? 'queue'
    : integrates
      ? 'messages'
      : audits
        ? 'audit'
        : seesAlerts
          ? 'dashboard'
          : 'queue';
  const page = route.page === 'queue' ? home : route.page;
  const nav = [
    ...(works ? [{ href: '#/queue', label: 'Queue', active: page === 'queue' || page === 'task' }] : []),
    ...(works || seesAlerts
      ? [{ href: '#/dashboard', label: 'Dashboard', active: page === 'dashboard' }]
      : []),
    ...(integrates ? [{ href: '#/messages', label: 'Messages', active: page === 'messages' }] : []),
    ...(audits ? [{ href: '#/audit', label: 'Audit report', active: page === 'audit' }] : []),
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
        {page === 'queue' && <Queue user={user} />}
        {page === 'task' && route.page === 'task' && <TaskView id={route.id} user={user} />}
        {page === 'dashboard' && <Dashboard figures={works} alerts={seesAlerts} />}
        {page === 'messages' && <Messages />}
        {page === 'audit' &&
          (audits ? (
            <AuditReport />
          ) : (
            <p className="banner error" role="alert">
              The audit report is for compliance officers. Your role does not allow it.
            </p>
          ))}
        {page === 'patient' && route.page === 'patient' && <PatientTimeline id={route.id} />}
      </main>
    </>
  );
}
