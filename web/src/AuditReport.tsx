// The compliance officer's audit report: filter, sort and page the audit trail, export it (CSV, FHIR AuditEvent),
// check the hash chain, and read the day's emergency (break-glass) access. Reads GET /api/audit and its siblings.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from './api.ts';
import { shortTime } from './format.ts';

interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  category: string;
  patient?: string;
  source: string;
  outcome: 'success' | 'failure' | 'denied';
  entity?: string;
  detail?: string;
}

interface ChainCheck {
  ok: boolean;
  checked: number;
  checkpoints: number;
  firstBadSeq?: number;
  problem?: string;
}

interface BreakGlassReport {
  day: string;
  uses: Array<{
    id: string;
    user: string;
    grantedAt: string;
    expiresAt: string;
    reason: string;
    minutes: number;
  }>;
}

/** The actions the API knows (AuditAction in src/governance/audit/audit-log.ts), in plain words. */
const ACTIONS: Record<string, string> = {
  ingest: 'Received',
  read: 'Read',
  create: 'Created',
  update: 'Changed',
  delete: 'Deleted',
  replay: 'Replayed',
  export: 'Exported',
  execute: 'Carried out',
  login: 'Signed in',
};

const OUTCOMES: Record<string, string> = { success: 'Succeeded', failure: 'Failed', denied: 'Refused' };

/** Categories the engine writes; the field also takes any other. */
const CATEGORIES = [
  'message',
  'task',
  'patient',
  'profile',
  'medication',
  'decision',
  'consent',
  'audit',
  'break-glass',
  'session',
  'config',
];

const PAGE_SIZES = [10, 25, 50, 100, 250];
const LIMITS = [200, 1000, 5000];

type SortKey = 'at' | 'actor' | 'action' | 'category' | 'patient' | 'outcome' | 'source';
const COLUMNS: Array<{ key: SortKey; label: string }> = [
  { key: 'at', label: 'Time' },
  { key: 'actor', label: 'Who' },
  { key: 'action', label: 'Action' },
  { key: 'category', label: 'Category' },
  { key: 'patient', label: 'Patient' },
  { key: 'outcome', label: 'Outcome' },
  { key: 'source', label: 'Where from' },
];

interface Filters {
  patient: string;
  actor: string;
  action: string;
  category: string;
  outcome: string;
  from: string;
  to: string;
  limit: number;
}

const EMPTY: Filters = {
  patient: '',
  actor: '',
  action: '',
  category: '',
  outcome: '',
  from: '',
  to: '',
  limit: 1000,
};

const nextDay = (day: string): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The API query for the filters; `until` is exclusive, so the "to" day is sent as the day after. */
function queryOf(f: Filters): URLSearchParams {
  const q = new URLSearchParams();
  for (const k of ['patient', 'actor', 'action', 'category', 'outcome'] as const) {
    const v = f[k].trim();
    if (v) q.set(k, v);
  }
  if (f.from) q.set('since', f.from);
  if (f.to) q.set('until', nextDay(f.to));
  q.set('limit', String(f.limit));
  return q;
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function AuditReport() {
  const [form, setForm] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sort, setSort] = useState<{ key: SortKey; dir: 'asc' | 'desc' }>({ key: 'at', dir: 'desc' });
  const [pageIndex, setPageIndex] = useState(0);
  const [pageSize, setPageSize] = useState(50);
  const [chain, setChain] = useState<ChainCheck | null>(null);
  const [chainBusy, setChainBusy] = useState(false);
  const [day, setDay] = useState(() => new Date().toISOString().slice(0, 10));
  const [breakGlass, setBreakGlass] = useState<BreakGlassReport | null>(null);

  const load = useCallback((f: Filters) => {
    api<{ total: number; entries: AuditEntry[] }>(`/api/audit?${queryOf(f).toString()}`)
      .then((r) => {
        setEntries(r.entries);
        setPageIndex(0);
        setError(null);
      })
      .catch((e: unknown) => setError(errorText(e)));
  }, []);
  useEffect(() => load(applied), [load, applied]);

  const loadBreakGlass = useCallback((d: string) => {
    api<BreakGlassReport>(`/api/audit/break-glass?day=${encodeURIComponent(d)}`)
      .then(setBreakGlass)
      .catch((e: unknown) => setError(errorText(e)));
  }, []);
  useEffect(() => loadBreakGlass(new Date().toISOString().slice(0, 10)), [loadBreakGlass]);

  const sorted = useMemo(() => {
    if (!entries) return [];
    const factor = sort.dir === 'asc' ? 1 : -1;
    const value = (e: AuditEntry): string | number => (sort.key === 'at' ? e.seq : (e[sort.key] ?? ''));
    return [...entries].sort((a, b) => {
      const x = value(a);
      const y = value(b);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return c !== 0 ? c * factor : b.seq - a.seq;
    });
  }, [entries, sort]);
  const pages = Math.max(1, Math.ceil(sorted.length / pageSize));
  const shown = sorted.slice(pageIndex * pageSize, (pageIndex + 1) * pageSize);

  const submit = (): void => {
    if (form.from && form.to && form.from > form.to) {
      setError('The "from" day is after the "to" day. Swap them or clear one.');
      return;
    }
    setApplied({ ...form });
  };
  const clear = (): void => {
    setForm(EMPTY);
    setApplied(EMPTY);
  };
  const sortBy = (key: SortKey): void =>
    setSort((s) => ({
      key,
      dir: s.key === key && s.dir === 'desc' ? 'asc' : s.key === key ? 'desc' : key === 'at' ? 'desc' : 'asc',
    }));

  // Exports ask the API for the same filters; the time order follows the table when it is sorted by time.
  const exportHref = (format: 'csv' | 'fhir'): string => {
    const q = queryOf(applied);
    if (sort.key === 'at') q.set('sort', sort.dir === 'asc' ? 'oldest' : 'newest');
    q.set('format', format);
    return `/api/audit?${q.toString()}`;
  };

  const checkChain = (): void => {
    setChainBusy(true);
    api<ChainCheck>('/api/audit/verify')
      .then(setChain)
      .catch((e: unknown) => setError(errorText(e)))
      .finally(() => setChainBusy(false));
  };

  const field = (k: keyof Filters) => ({
    value: String(form[k]),
    onChange: (e: { target: { value: string } }) =>
      setForm((f) => ({ ...f, [k]: k === 'limit' ? Number(e.target.value) : e.target.value })),
  });

  return (
    <section aria-labelledby="audit-title" className="audit">
      <div className="page-head">
        <h1 id="audit-title">Audit report</h1>
        <p className="muted">Who did what, to which record, when — every read, change and export.</p>
      </div>

      <form
        className="filters"
        aria-label="Filter the audit report"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label className="inline">
          Patient
          <input {...field('patient')} placeholder="P0001 or MRN10001^GENHOSP" size={24} maxLength={200} />
        </label>
        <label className="inline">
          Who
          <input {...field('actor')} placeholder="user:… or system:…" size={18} maxLength={200} />
        </label>
        <label className="inline">
          Action
          <select {...field('action')}>
            <option value="">Any action</option>
            {Object.entries(ACTIONS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          Category
          <input {...field('category')} list="audit-categories" size={12} maxLength={60} />
        </label>
        <datalist id="audit-categories">
          {CATEGORIES.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        <label className="inline">
          Outcome
          <select {...field('outcome')}>
            <option value="">Any outcome</option>
            {Object.entries(OUTCOMES).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          From
          <input type="date" {...field('from')} />
        </label>
        <label className="inline">
          To (inclusive)
          <input type="date" {...field('to')} />
        </label>
        <label className="inline">
          At most
          <select {...field('limit')}>
            {LIMITS.map((n) => (
              <option key={n} value={n}>
                {n} entries
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary">
          Apply filters
        </button>
        <button type="button" onClick={clear}>
          Clear
        </button>
      </form>

      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}

      <div className="audit-tools">
        <a className="button" href={exportHref('csv')} download="rxbridge-audit.csv">
          Export CSV
        </a>
        <a className="button" href={exportHref('fhir')} download="rxbridge-audit-fhir.json">
          Export FHIR AuditEvent (JSON)
        </a>
        <button type="button" onClick={checkChain} disabled={chainBusy}>
          {chainBusy ? 'Checking the chain…' : 'Check the audit chain'}
        </button>
        <span role="status" className="chain">
          {chain &&
            (chain.ok ? (
              <strong className="ok">
                Chain intact: {chain.checked} entries and {chain.checkpoints} signed checkpoints checked.
              </strong>
            ) : (
              <strong className="bad">
                Chain broken{chain.firstBadSeq !== undefined ? ` at entry #${chain.firstBadSeq}` : ''}:{' '}
                {chain.problem ?? 'unknown problem'} ({chain.checked} entries checked). Tell IT security now.
              </strong>
            ))}
        </span>
      </div>

      {!entries && !error && (
        <p className="loading" role="status">
          Loading the audit trail…
        </p>
      )}
      {entries && (
        <>
          <p className="muted audit-count" role="status" aria-live="polite">
            {entries.length === 0
              ? 'No entries match these filters.'
              : `${entries.length} entries${entries.length === applied.limit ? ' (the most recent; narrow the filters or raise "At most" to see older ones)' : ''}. Showing ${pageIndex * pageSize + 1}–${Math.min(sorted.length, (pageIndex + 1) * pageSize)}.`}
          </p>
          <table className="audit-table dense">
            <caption className="sr-only">Audit entries; select a column heading to sort by it</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                {COLUMNS.map((c) => (
                  <th
                    key={c.key}
                    scope="col"
                    aria-sort={
                      sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'
                    }
                  >
                    <button type="button" className="sort" onClick={() => sortBy(c.key)}>
                      {c.label}
                      <span aria-hidden="true">
                        {sort.key === c.key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                      </span>
                    </button>
                  </th>
                ))}
                <th scope="col">Record</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((e) => (
                <tr key={e.seq} className={e.outcome === 'success' ? undefined : `outcome-${e.outcome}`}>
                  <td>{e.seq}</td>
                  <td>{shortTime(e.at)}</td>
                  <td>{e.actor}</td>
                  <td>{ACTIONS[e.action] ?? e.action}</td>
                  <td>{e.category}</td>
                  <td>{e.patient ?? ''}</td>
                  <td>{OUTCOMES[e.outcome] ?? e.outcome}</td>
                  <td>{e.source}</td>
                  <td>{e.entity ?? ''}</td>
                  <td>{e.detail ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav className="pager" aria-label="Audit report pages">
            <label className="inline">
              Rows per page
              <select
                value={pageSize}
                onChange={(e) => {
                  setPageSize(Number(e.target.value));
                  setPageIndex(0);
                }}
              >
                {PAGE_SIZES.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
            {pages > 1 && (
              <>
                <button type="button" onClick={() => setPageIndex((i) => i - 1)} disabled={pageIndex === 0}>
                  Previous page
                </button>
                <span>
                  Page {pageIndex + 1} of {pages}
                </span>
                <button
                  type="button"
                  onClick={() => setPageIndex((i) => i + 1)}
                  disabled={pageIndex >= pages - 1}
                >
                  Next page
                </button>
              </>
            )}
          </nav>
        </>
      )}

      <section aria-labelledby="bg-title" className="break-glass">
        <h2 id="bg-title">Emergency access (break-glass)</h2>
        <form
          className="filters"
          aria-label="Choose the day of the break-glass report"
          onSubmit={(e) => {
            e.preventDefault();
            loadBreakGlass(day);
          }}
        >
          <label className="inline">
            Day
            <input type="date" value={day} onChange={(e) => setDay(e.target.value)} required />
          </label>
          <button type="submit">Show the day</button>
        </form>
        {breakGlass &&
          (breakGlass.uses.length === 0 ? (
            <p className="muted">No emergency access on {breakGlass.day}.</p>
          ) : (
            <table className="dense">
              <caption>
                {breakGlass.uses.length} use{breakGlass.uses.length === 1 ? '' : 's'} on {breakGlass.day}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Who</th>
                  <th scope="col">Granted</th>
                  <th scope="col">Ends</th>
                  <th scope="col">Minutes</th>
                  <th scope="col">Reason given</th>
                </tr>
              </thead>
              <tbody>
                {breakGlass.uses.map((u) => (
                  <tr key={u.id}>
                    <td>{u.user}</td>
                    <td>{shortTime(u.grantedAt)}</td>
                    <td>{shortTime(u.expiresAt)}</td>
                    <td>{u.minutes}</td>
                    <td>{u.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
      </section>
    </section>
  );
}
