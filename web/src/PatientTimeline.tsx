// The patient timeline: messages received, tasks and decisions, fills — newest first.
import { useEffect, useState } from 'react';
import { api } from './api.ts';
import { shortTime } from './format.ts';

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
  if (error)
    return (
      <p className="banner error" role="alert">
        {error}
      </p>
    );
  if (!data)
    return (
      <p className="loading" role="status">
        Loading the timeline…
      </p>
    );
  return (
    <section aria-labelledby="tl-title">
      <h1 id="tl-title">
        {data.patient.family.toUpperCase()}, {data.patient.given} · born {data.patient.birthDate}
      </h1>
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
