// Hash routes (#/queue, #/tasks/<id>, #/dashboard, #/messages, #/audit): the engine serves one page.
import { useEffect, useState } from 'react';

export type Route =
  | { page: 'queue' }
  | { page: 'task'; id: string }
  | { page: 'dashboard' }
  | { page: 'messages' }
  | { page: 'audit' }
  | { page: 'patient'; id: string };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/');
  if (parts[0] === 'tasks' && parts[1]) return { page: 'task', id: decodeURIComponent(parts[1]) };
  if (parts[0] === 'patients' && parts[1]) return { page: 'patient', id: decodeURIComponent(parts[1]) };
  if (parts[0] === 'dashboard') return { page: 'dashboard' };
  if (parts[0] === 'messages') return { page: 'messages' };
  if (parts[0] === 'audit') return { page: 'audit' };
  return { page: 'queue' };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const on = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function go(hash: string): void {
  window.location.hash = hash;
}
