// The patient timeline: messages received, tasks and decisions, fills — newest first.
import { useEffect, useState, type FormEvent } from 'react';
import { api, type TaskDetail } from './api.ts';
import { shortTime } from './format.ts';
import { go } from './route.ts';

interface Timeline {
  patient: { id: string; given: string; family: string; birthDate: string };
  events: Array<{ at: string; kind: string; title: string; ref: string }>;
}

export function PatientTimeline({ id }: { id: string }) {
  const [data, setData] = useState<Timeline | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<Timeline>(`/api/patients/${encodeURIComponent(id)}/timeline`)
      .then(setData)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [id]);
  const [drug, setDrug] = useState('');
  const [busy, setBusy] = useState(false);
  const start = (kind: string, extra: Record<string, string> = {}): void => {
    setBusy(true);
    setError(null);
    api<TaskDetail>(`/api/patients/${encodeURIComponent(id)}/follow-ups`, {
      method: 'POST',
      body: { kind, ...extra },
    })
      .then((t) => go(`#/tasks/${t.id}`))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setBusy(false));
  };
  const [found, setFound] = useState<Array<{ id: string; typeLabel: string; summary: string | null }> | null>(
    null,
  );
  const review = (): void => {
    setBusy(true);
    setError(null);
    api<{ findings: number; tasks: Array<{ id: string; typeLabel: string; summary: string | null }> }>(
      `/api/patients/${encodeURIComponent(id)}/follow-ups`,
      { method: 'POST', body: { kind: 'medication-review' } },
    )
      .then((r) => setFound(r.tasks))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setBusy(false));
  };
  const startPa = (e: FormEvent): void => {
    e.preventDefault();
    start('prior-authorization', { drug });
  };
  if (!data) {
    return error ? (
      <p className="banner error" role="alert">
        {error}
      </p>
    ) : (
      <p className="loading" role="status">
        Loading the timeline…
      </p>
    );
  }
  return (
    <section aria-labelledby="tl-title">
      <h1 id="tl-title">
        {data.patient.family.toUpperCase()}, {data.patient.given} · born {data.patient.birthDate}
      </h1>
      <div className="filters" role="group" aria-label="Start a follow-up">
        <button type="button" disabled={busy} onClick={() => start('adherence-note')}>
          Adherence note to the PCP
        </button>
        <button type="button" disabled={busy} onClick={() => start('mtm-summary')}>
          MTM summary
        </button>
        <button type="button" disabled={busy} onClick={review}>
          Check the medication list
        </button>
        <form onSubmit={startPa}>
          <label className="inline">
            Prior authorization for
            <input value={drug} onChange={(e) => setDrug(e.target.value)} placeholder="drug name" />
          </label>{' '}
          <button type="submit" disabled={busy || drug.trim().length < 2}>
            Build packet
          </button>
        </form>
      </div>
      {busy && (
        <p className="working" role="status">
          Preparing the follow-up…
        </p>
      )}
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      {found && (
        <section aria-labelledby="found-title" className="banner info">
          <h2 id="found-title">
            Medication list checked:{' '}
            {found.length === 0 ? 'nothing needs review' : `${found.length} finding(s) to review`}
          </h2>
          <ul className="plain">
            {found.map((t) => (
              <li key={t.id}>
                <a href={`#/tasks/${t.id}`}>{t.typeLabel}</a>: {t.summary}
              </li>
            ))}
          </ul>
        </section>
      )}
      <ol className="timeline">
        {data.events.map((e, i) => (
          <li key={i} className={`tl-${e.kind}`}>
            <span className="muted">{shortTime(e.at)}</span> <span className="kind">{e.kind}</span>{' '}
            {e.kind === 'task' || e.kind === 'decision' ? (
              <a href={`#/tasks/${e.ref}`}>{e.title}</a>
            ) : (
              e.title
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
