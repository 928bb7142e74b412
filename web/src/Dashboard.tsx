// The metrics dashboard: open rollout and integration alerts (for those who manage interfaces), messages by state,
// tasks by type, approval rate, time to review, minutes saved, error rates (for those who read tasks).
import { useEffect, useState } from 'react';
import { api } from './api.ts';
import { shortTime, STATUS_LABEL, typeName } from './format.ts';

interface DashboardData {
  messagesByState: Record<string, number>;
  tasksByType: Record<string, number>;
  tasksByStatus: Record<string, number>;
  approvalRate: number | null;
  decidedItems: number;
  timeToReviewMinutes: { p50: number | null; p90: number | null; count: number };
  estimatedMinutesSaved: number;
  /** How the estimate is computed and what it is made of (src/review/minutes-baseline.ts). */
  minutesSaved?: { method: string; appliedTasks: number; withoutBaseline: number };
  /** The engine's task type names. */
  typeLabels?: Record<string, string>;
  errorRates: { deadMessages: number; failedTasks: number };
  tasksLast7Days: number;
  generatedAt: string;
}

/** An open alert as GET /api/rollout/alerts returns it (AlertRecord in src/review/rollout/rollout-store.ts). */
interface Alert {
  id: number;
  key: string;
  workflow: string;
  rule: string;
  severity: 'warning' | 'critical';
  value: number;
  threshold: number;
  message: string;
  firstAt: string;
  lastAt: string;
  count: number;
}

const RULES: Record<string, string> = {
  'agreement-low': 'Engine and pharmacists agree too rarely',
  'accuracy-low': 'Too few proposals accepted unchanged',
  'auto-error-rate-high': 'Automatic writes failing or reversed',
  'discrepancy-rate-shift': 'Discrepancy rate shifted',
  'confidence-drop': 'Extraction confidence dropped',
  'channel-silent': 'Channel silent',
  'dead-letters-rising': 'Dead letters rising',
  'volume-shift': 'Message volume shifted',
  'certificate-expiry': 'Certificate expiring',
};

const SEVERITY: Record<string, string> = { critical: 'Critical', warning: 'Warning' };

function Alerts() {
  const [alerts, setAlerts] = useState<Alert[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const load = (): void => {
      api<{ alerts: Alert[] }>('/api/rollout/alerts')
        .then((r) => {
          // Critical first, then the longest open.
          setAlerts(
            [...r.alerts].sort(
              (a, b) =>
                (a.severity === 'critical' ? 0 : 1) - (b.severity === 'critical' ? 0 : 1) ||
                Date.parse(a.firstAt) - Date.parse(b.firstAt),
            ),
          );
          setError(null);
        })
        .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    };
    load();
    const timer = window.setInterval(load, 10_000);
    return () => window.clearInterval(timer);
  }, []);
  return (
    <section aria-labelledby="alerts-title" className="alerts">
      <h2 id="alerts-title">Open alerts</h2>
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      {alerts && alerts.length === 0 && <p className="muted">No open alerts.</p>}
      {alerts && alerts.length > 0 && (
        <table className="dense">
          <caption className="sr-only">Open rollout and integration alerts, critical first</caption>
          <thead>
            <tr>
              <th scope="col">Severity</th>
              <th scope="col">Rule</th>
              <th scope="col">Where</th>
              <th scope="col">What</th>
              <th scope="col">Since</th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {alerts.map((a) => (
              <tr key={a.id}>
                <td>
                  <span className={`badge sev-${a.severity}`}>{SEVERITY[a.severity] ?? a.severity}</span>
                </td>
                <td>
                  {RULES[a.rule] ?? a.rule} <span className="muted">({a.rule})</span>
                </td>
                <td>{a.workflow}</td>
                <td>{a.message}</td>
                <td>{shortTime(a.firstAt)}</td>
                <td>
                  {shortTime(a.lastAt)}
                  {a.count > 1 ? ` (${a.count} checks)` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <a href="/api/rollout/report?format=html" target="_blank" rel="noopener">
          Open the value report (last 7 days)
        </a>
      </p>
    </section>
  );
}

const pct = (x: number | null): string => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);

function BarChart({
  title,
  data,
  id,
  label = (k) => k,
}: {
  title: string;
  data: Record<string, number>;
  id: string;
  label?: (key: string) => string;
}) {
  const entries = Object.entries(data).filter(([, n]) => n > 0);
  const max = Math.max(1, ...entries.map(([, n]) => n));
  const row = 26;
  const labelW = 190;
  const width = 520;
  const height = Math.max(row, entries.length * row);
  return (
    <figure className="chart" aria-labelledby={`${id}-cap`}>
      <figcaption id={`${id}-cap`}>{title}</figcaption>
      {entries.length === 0 ? (
        <p className="muted">Nothing yet.</p>
      ) : (
        <svg
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-label={`${title}: ${entries.map(([k, n]) => `${label(k)} ${n}`).join(', ')}`}
        >
          {entries.map(([k, n], i) => {
            const w = ((width - labelW - 50) * n) / max;
            return (
              <g key={k} transform={`translate(0, ${i * row})`}>
                <text x={labelW - 8} y={row / 2 + 5} textAnchor="end" className="axis">
                  {label(k)}
                </text>
                <rect x={labelW} y={4} width={Math.max(2, w)} height={row - 8} className={`bar bar-${k}`} />
                <text x={labelW + w + 6} y={row / 2 + 5} className="value">
                  {n}
                </text>
              </g>
            );
          })}
        </svg>
      )}
    </figure>
  );
}

/** `figures`: the user reads tasks (GET /api/dashboard); `alerts`: the user manages interfaces (the alerts API). */
export function Dashboard({ figures, alerts }: { figures: boolean; alerts: boolean }) {
  const [data, setData] = useState<DashboardData | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!figures) return;
    const load = (): void => {
      api<DashboardData>('/api/dashboard')
        .then((d) => {
          setData(d);
          setError(null);
        })
        .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    };
    load();
    const timer = window.setInterval(load, 10_000);
    return () => window.clearInterval(timer);
  }, [figures]);
  return (
    <section aria-labelledby="dash-title">
      <div className="page-head">
        <h1 id="dash-title">Dashboard</h1>
        {data && <p className="muted">as of {new Date(data.generatedAt).toLocaleTimeString()}</p>}
      </div>
      {alerts && <Alerts />}
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      {figures && !data && !error && (
        <p className="loading" role="status">
          Loading the figures…
        </p>
      )}
      {data && (
        <>
          <div className="tiles">
            <div className="tile">
              <span className="big">{pct(data.approvalRate)}</span>
              <span>approval rate ({data.decidedItems} items decided)</span>
            </div>
            <div className="tile">
              <span className="big">
                {data.timeToReviewMinutes.p50 === null ? '—' : `${data.timeToReviewMinutes.p50} min`}
              </span>
              <span>median time to review (p90 {data.timeToReviewMinutes.p90 ?? '—'} min)</span>
            </div>
            <div className="tile">
              <span className="big">{data.estimatedMinutesSaved} min</span>
              <span>estimated pharmacist time saved</span>
              {data.minutesSaved && (
                <span className="how">
                  {data.minutesSaved.method}
                  {data.minutesSaved.withoutBaseline > 0
                    ? ` ${data.minutesSaved.withoutBaseline} applied task(s) of a type without a figure count 0.`
                    : ''}
                </span>
              )}
            </div>
            <div className="tile">
              <span className="big">{pct(data.errorRates.deadMessages)}</span>
              <span>messages dead-lettered</span>
            </div>
            <div className="tile">
              <span className="big">{pct(data.errorRates.failedTasks)}</span>
              <span>tasks whose apply failed</span>
            </div>
            <div className="tile">
              <span className="big">{data.tasksLast7Days}</span>
              <span>tasks in the last 7 days</span>
            </div>
          </div>
          <div className="charts">
            <BarChart id="msg" title="Messages by state" data={data.messagesByState} />
            <BarChart
              id="types"
              title="Tasks by type"
              data={data.tasksByType}
              label={(k) => typeName(k, data.typeLabels)}
            />
            <BarChart
              id="status"
              title="Tasks by status"
              data={data.tasksByStatus}
              label={(k) => STATUS_LABEL[k] ?? k}
            />
          </div>
        </>
      )}
    </section>
  );
}
