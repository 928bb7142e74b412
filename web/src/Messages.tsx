// The message browser: search by patient, type and state, raw view, replay with a reason, dead letters.
import { useCallback, useEffect, useState } from 'react';
import { api } from './api.ts';
import { shortTime } from './format.ts';

interface MessageRow {
  id: string;
  type: string | null;
  controlId: string | null;
  sender: string | null;
  state: string;
  channel: string;
  attempts: number;
  lastError: string | null;
  receivedAt: string;
}

const STATES = ['', 'received', 'awaiting-review', 'done', 'failed', 'dead', 'duplicate'];

export function Messages() {
  const [state, setState] = useState('');
  const [type, setType] = useState('');
  // The patient key as typed, and as searched: a patient search runs on Search (each one is audited).
  const [patientInput, setPatientInput] = useState('');
  const [patient, setPatient] = useState('');
  const [rows, setRows] = useState<MessageRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<{
    id: string;
    patient: string | null;
    raw: string;
    events: Array<{ at: string; to: string; actor: string; detail: string | null }>;
  } | null>(null);
  const [reason, setReason] = useState('');
  const [info, setInfo] = useState<string | null>(null);

  const load = useCallback(() => {
    const q = new URLSearchParams();
    if (state) q.set('state', state);
    if (type.trim()) q.set('type', type.trim());
    if (patient) q.set('patient', patient);
    api<{ messages: MessageRow[] }>(`/api/messages?${q.toString()}`)
      .then((r) => {
        setRows(r.messages);
        setError(null);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [state, type, patient]);
  useEffect(load, [load]);

  const show = (id: string): void => {
    api<{
      patient: string | null;
      raw: string;
      events: Array<{ at: string; to: string; actor: string; detail: string | null }>;
    }>(`/api/messages/${encodeURIComponent(id)}`)
      .then((m) => setOpen({ id, patient: m.patient ?? null, raw: m.raw, events: m.events }))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  const replay = (): void => {
    if (!open) return;
    api(`/api/messages/${open.id}/replay`, { method: 'POST', body: { reason } })
      .then(() => {
        setInfo('Queued for reprocessing.');
        setReason('');
        load();
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };

  return (
    <section aria-labelledby="msg-title">
      <div className="page-head">
        <h1 id="msg-title">Messages</h1>
      </div>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          if (patientInput.trim() !== patient) setPatient(patientInput.trim());
          else load();
        }}
      >
        <label className="inline">
          Patient
          <input
            value={patientInput}
            onChange={(e) => setPatientInput(e.target.value)}
            placeholder="MRN10001^GENHOSP"
            size={20}
            aria-describedby="msg-patient-help"
          />
        </label>
        <span id="msg-patient-help" className="help">
          The patient key shown in a message&apos;s detail.
        </span>
        <label className="inline">
          State
          <select value={state} onChange={(e) => setState(e.target.value)}>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {s === '' ? 'All states' : s === 'dead' ? 'dead letters' : s}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          Type
          <input value={type} onChange={(e) => setType(e.target.value)} placeholder="ADT^A03" />
        </label>
        <button type="submit">Search</button>
        {patient && (
          <button
            type="button"
            onClick={() => {
              setPatientInput('');
              setPatient('');
            }}
          >
            All patients
          </button>
        )}
      </form>
      {patient && (
        <p className="muted" role="status">
          Messages of patient {patient}
        </p>
      )}
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      {info && (
        <p className="banner info" role="status">
          {info}
        </p>
      )}
      {!rows && !error && (
        <p className="loading" role="status">
          Loading messages…
        </p>
      )}
      {rows && (
        <table className="queue">
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">Type</th>
              <th scope="col">Control id</th>
              <th scope="col">Sender</th>
              <th scope="col">State</th>
              <th scope="col">Last error</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <tr key={m.id}>
                <td>{shortTime(m.receivedAt)}</td>
                <td>
                  <button type="button" className="link" onClick={() => show(m.id)}>
                    {m.type ?? '(unknown)'}
                  </button>
                </td>
                <td>{m.controlId}</td>
                <td>{m.sender}</td>
                <td>{m.state}</td>
                <td>{m.lastError ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && (
        <section aria-labelledby="raw-title" className="raw">
          <h2 id="raw-title">Message {open.id}</h2>
          {open.patient && (
            <p>
              Patient <code className="patient-key">{open.patient}</code>{' '}
              <button
                type="button"
                className="link"
                onClick={() => {
                  setPatientInput(open.patient ?? '');
                  setPatient(open.patient ?? '');
                }}
              >
                This patient&apos;s messages
              </button>
            </p>
          )}
          <pre className="source">{open.raw.replace(/\r/g, '\n')}</pre>
          <ol className="plain">
            {open.events.map((e, i) => (
              <li key={i}>
                {shortTime(e.at)} → {e.to} ({e.actor}
                {e.detail ? `: ${e.detail}` : ''})
              </li>
            ))}
          </ol>
          <label>
            Reason to replay
            <input value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <button type="button" onClick={replay} disabled={reason.trim().length < 3}>
            Replay
          </button>
        </section>
      )}
    </section>
  );
}
