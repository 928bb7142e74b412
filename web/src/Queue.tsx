// The review queue: most urgent first, filters with counts by priority and SLA, keyboard j/k/Enter.
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { api, type TaskList, type User } from './api.ts';
import { actorName, PRIORITY_LABEL, relativeDue, SLA_LABEL, STATUS_LABEL, typeName } from './format.ts';
import { go } from './route.ts';

const VIEWS = [
  { id: 'active', label: 'To do' },
  { id: 'mine', label: 'Mine' },
  { id: 'exceptions', label: 'Exceptions' },
  { id: 'done', label: 'Done' },
] as const;

export function Queue({ user }: { user: User }) {
  const [view, setView] = useState<string>('active');
  const [priority, setPriority] = useState<string>('');
  const [sla, setSla] = useState<string>('');
  const [type, setType] = useState<string>('');
  const [data, setData] = useState<TaskList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [updated, setUpdated] = useState<Date | null>(null);
  const rows = useRef<Array<HTMLAnchorElement | null>>([]);

  const load = useCallback(() => {
    const q = new URLSearchParams({ view });
    if (priority) q.set('priority', priority);
    if (sla) q.set('sla', sla);
    if (type) q.set('type', type);
    api<TaskList>(`/api/tasks?${q.toString()}`)
      .then((d) => {
        setData(d);
        setError(null);
        setUpdated(new Date());
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [view, priority, sla, type]);

  useEffect(() => {
    load();
    const timer = window.setInterval(load, 5_000);
    return () => window.clearInterval(timer);
  }, [load]);

  const onKey = (e: KeyboardEvent<HTMLTableSectionElement>): void => {
    const i = rows.current.findIndex((r) => r === document.activeElement);
    const move = (to: number): void => {
      const target = rows.current[Math.max(0, Math.min(rows.current.length - 1, to))];
      target?.focus();
      e.preventDefault();
    };
    if (e.key === 'j' || e.key === 'ArrowDown') move(i + 1);
    if (e.key === 'k' || e.key === 'ArrowUp') move(i - 1);
  };

  useEffect(() => {
    const onGlobal = (e: globalThis.KeyboardEvent): void => {
      if (
        e.target instanceof HTMLInputElement ||
        e.target instanceof HTMLTextAreaElement ||
        e.target instanceof HTMLSelectElement
      )
        return;
      if (
        (e.key === 'j' || e.key === 'ArrowDown') &&
        !rows.current.includes(document.activeElement as HTMLAnchorElement)
      ) {
        rows.current[0]?.focus();
        e.preventDefault();
      }
    };
    window.addEventListener('keydown', onGlobal);
    return () => window.removeEventListener('keydown', onGlobal);
  }, []);

  const counts = data?.counts;
  // Every type the engine names, plus any it counts without a name; names from the engine.
  const engineNames = data?.typeLabels ?? {};
  const typeIds = [
    ...Object.keys(engineNames),
    ...Object.keys(counts?.byType ?? {}).filter((id) => !Object.hasOwn(engineNames, id)),
  ];
  rows.current = [];
  return (
    <section aria-labelledby="queue-title">
      <div className="page-head">
        <h1 id="queue-title">Review queue</h1>
        <p className="muted" aria-live="polite">
          {data ? `${data.total} task${data.total === 1 ? '' : 's'}` : ''}
          {updated ? ` · updated ${updated.toLocaleTimeString()}` : ''}
        </p>
      </div>
      <div className="filters" role="group" aria-label="Queue filters">
        <div role="tablist" aria-label="Views" className="views">
          {VIEWS.map((v) => (
            <button
              key={v.id}
              role="tab"
              type="button"
              aria-selected={view === v.id}
              onClick={() => setView(v.id)}
            >
              {v.label}
            </button>
          ))}
        </div>
        <div className="chips" role="group" aria-label="Priority">
          {(['high', 'medium', 'low'] as const).map((p) => (
            <button
              key={p}
              type="button"
              className={`chip prio-${p}`}
              aria-pressed={priority === p}
              onClick={() => setPriority(priority === p ? '' : p)}
            >
              {PRIORITY_LABEL[p]} <span className="n">{counts?.byPriority[p] ?? 0}</span>
            </button>
          ))}
        </div>
        <div className="chips" role="group" aria-label="Service level">
          {(['overdue', 'due-soon', 'on-time'] as const).map((s) => (
            <button
              key={s}
              type="button"
              className={`chip sla-${s}`}
              aria-pressed={sla === s}
              onClick={() => setSla(sla === s ? '' : s)}
            >
              {SLA_LABEL[s]} <span className="n">{counts?.bySla[s] ?? 0}</span>
            </button>
          ))}
        </div>
        <label className="inline">
          Type
          <select value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">All types</option>
            {typeIds.map((id) => (
              <option key={id} value={id}>
                {typeName(id, engineNames)} ({counts?.byType[id] ?? 0})
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      {!data && !error && (
        <p className="loading" role="status">
          Loading the queue…
        </p>
      )}
      {data && data.tasks.length === 0 && (
        <p className="empty">Nothing here. New discharges appear within seconds of arriving.</p>
      )}
      {data && data.tasks.length > 0 && (
        <table className="queue">
          <caption className="sr-only">
            Tasks, most urgent first. Press j and k to move, Enter to open.
          </caption>
          <thead>
            <tr>
              <th scope="col">Priority</th>
              <th scope="col">Task</th>
              <th scope="col">Patient</th>
              <th scope="col">Items</th>
              <th scope="col">Due</th>
              <th scope="col">Status</th>
              <th scope="col">Assignee</th>
            </tr>
          </thead>
          <tbody onKeyDown={onKey}>
            {data.tasks.map((t, i) => (
              <tr key={t.id} className={`sla-row-${t.sla}`} onClick={() => go(`#/tasks/${t.id}`)}>
                <td>
                  <span className={`badge prio-${t.priority}`}>{PRIORITY_LABEL[t.priority]}</span>
                </td>
                <td>
                  <a
                    href={`#/tasks/${t.id}`}
                    ref={(el) => {
                      rows.current[i] = el;
                    }}
                    onClick={(e) => e.stopPropagation()}
                  >
                    {t.typeLabel}
                  </a>
                  {t.summary && <div className="summary">{t.summary}</div>}
                </td>
                <td>{t.patient.display}</td>
                <td>{t.itemCount > 0 ? `${t.decidedCount}/${t.itemCount}` : '—'}</td>
                <td className={`due sla-${t.sla}`}>{t.sla === 'done' ? 'done' : relativeDue(t.dueAt)}</td>
                <td>{STATUS_LABEL[t.status] ?? t.status}</td>
                <td>{t.assignee === `user:${user.id}` ? 'you' : actorName(t.assignee)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
