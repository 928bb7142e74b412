// One task: the hospital's list and the pharmacy profile side by side, each discrepancy with its evidence marked in
// the source document, approve / edit / reject per item with a reason, the note to the PCP, effects and history.
// Keys: j / k next / previous item, a approve, e edit, r reject, Enter in a reason field approves.
import { Fragment, useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { api, type ItemAction, type Profile, type TaskDetail, type TaskItem, type User } from './api.ts';
import {
  ACTION_LABEL,
  actorName,
  DISCREPANCY_LABEL,
  PRIORITY_LABEL,
  relativeDue,
  shortTime,
  STATUS_LABEL,
} from './format.ts';

/** Items of what the pharmacy system reports it did (dispense, vaccination): sent on, not compared. */
const REPORT_ITEM_TYPES = new Set(['dispense-report', 'immunization-report']);
const REPORT_FIELD_LABEL: Record<string, string> = {
  status: 'status',
  whenHandedOver: 'handed over',
  quantity: 'quantity',
  daysSupply: 'days supply',
  rxNumber: 'Rx',
  cvx: 'CVX',
  occurrence: 'given',
  lot: 'lot',
};

const DEFAULT_REASON = 'Confirmed against the discharge summary';

export function TaskView({ id, user }: { id: string; user: User }) {
  const [task, setTask] = useState<TaskDetail | null>(null);
  const [profile, setProfile] = useState<Profile | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [selected, setSelected] = useState(0);
  const [note, setNote] = useState('');
  const [comment, setComment] = useState('');
  const cards = useRef<Array<HTMLElement | null>>([]);

  const loadProfile = useCallback((patientId: string | undefined) => {
    if (!patientId) return;
    api<Profile>(`/api/patients/${encodeURIComponent(patientId)}/profile`)
      .then(setProfile)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);

  useEffect(() => {
    setTask(null);
    api<TaskDetail>(`/api/tasks/${encodeURIComponent(id)}`)
      .then((t) => {
        setTask(t);
        setNote(t.note);
        loadProfile(t.patient.pharmacyPatientId);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [id, loadProfile]);

  const act = useCallback(
    async (label: string, path: string, body?: unknown): Promise<TaskDetail | undefined> => {
      setBusy(label);
      setError(null);
      try {
        const next = await api<TaskDetail>(`/api/tasks/${encodeURIComponent(id)}${path}`, {
          method: 'POST',
          ...(body === undefined ? {} : { body }),
        });
        setTask(next);
        return next;
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
        return undefined;
      } finally {
        setBusy(null);
      }
    },
    [id],
  );

  const decide = useCallback(
    async (item: TaskItem, decision: 'approve' | 'edit' | 'reject', reason: string, action?: ItemAction) => {
      const next = await act(`${decision} ${item.drug}`, `/items/${encodeURIComponent(item.id)}/decision`, {
        decision,
        reason,
        ...(action ? { action } : {}),
      });
      if (next) {
        const following = next.items.findIndex((it, i) => i > next.items.indexOf(item) && !it.decision);
        if (following >= 0) {
          setSelected(following);
          cards.current[following]?.focus();
        }
      }
    },
    [act],
  );

  const apply = useCallback(async () => {
    const next = await act('apply', '/apply');
    if (next) loadProfile(next.patient.pharmacyPatientId);
  }, [act, loadProfile]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (
        e.target instanceof HTMLInputElement ||
        e.target instanceof HTMLTextAreaElement ||
        e.target instanceof HTMLSelectElement
      )
        return;
      if (!task || e.ctrlKey || e.metaKey || e.altKey) return;
      const move = (to: number): void => {
        const i = Math.max(0, Math.min(task.items.length - 1, to));
        setSelected(i);
        cards.current[i]?.focus();
        e.preventDefault();
      };
      if (e.key === 'j') move(selected + 1);
      else if (e.key === 'k') move(selected - 1);
      else if (['a', 'e', 'r'].includes(e.key)) {
        const card = cards.current[selected];
        const button = card?.querySelector<HTMLButtonElement>(`button[data-key="${e.key}"]`);
        if (button && !button.disabled) {
          button.click();
          e.preventDefault();
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [task, selected]);

  if (!task) {
    return error ? (
      <p className="banner error" role="alert">
        {error}
      </p>
    ) : (
      <p className="loading" role="status">
        Loading the task…
      </p>
    );
  }

  const me = `user:${user.id}`;
  const open = task.status === 'open' || task.status === 'claimed';
  const heldByOther = task.status === 'claimed' && task.assignee !== null && task.assignee !== me;
  const canApply = task.status === 'approved' || task.status === 'edited' || task.status === 'failed';
  const undecided = task.items.filter((i) => !i.decision).length;
  const item = task.items[selected];
  cards.current = [];

  return (
    <article aria-labelledby="task-title" className="task">
      <p>
        <a href="#/queue">← Back to the queue</a>
      </p>
      <header className="task-head">
        <div>
          <h1 id="task-title">
            {task.typeLabel}: {task.patient.display}
          </h1>
          <p className="meta">
            <span className={`badge prio-${task.priority}`}>{PRIORITY_LABEL[task.priority]} priority</span>
            <span className={`due sla-${task.sla}`}>
              {task.sla === 'done' ? 'Done' : relativeDue(task.dueAt)}
            </span>
            <span>
              Status: <strong>{STATUS_LABEL[task.status] ?? task.status}</strong>
            </span>
            <span>Assignee: {task.assignee === me ? 'you' : actorName(task.assignee)}</span>
            {task.patient.pharmacyPatientId && (
              <a href={`#/patients/${task.patient.pharmacyPatientId}`}>Patient timeline</a>
            )}
          </p>
          {task.summary && <p className="summary">{task.summary}</p>}
        </div>
        <div className="actions">
          {task.status === 'open' && (
            <button type="button" onClick={() => void act('claim', '/claim')} disabled={busy !== null}>
              Claim
            </button>
          )}
          {task.status === 'claimed' && task.assignee === me && (
            <button type="button" onClick={() => void act('release', '/release')} disabled={busy !== null}>
              Release
            </button>
          )}
          {open && !heldByOther && task.items.length === 0 && (
            <button
              type="button"
              className="primary"
              onClick={() =>
                void act('complete', '/decision', { decision: 'approve', reason: 'Done' }).then(
                  (t) => t && apply(),
                )
              }
              disabled={busy !== null}
            >
              {task.note.trim() !== '' ? 'Approve and send the note' : 'Mark done'}
            </button>
          )}
          {open && !heldByOther && undecided > 1 && (
            <button
              type="button"
              onClick={() =>
                void act('approve all', '/decision', { decision: 'approve', reason: DEFAULT_REASON })
              }
              disabled={busy !== null}
            >
              Approve all {undecided} remaining
            </button>
          )}
          {canApply && (
            <button type="button" className="primary" onClick={() => void apply()} disabled={busy !== null}>
              {task.status === 'failed' ? 'Retry apply' : 'Apply to pharmacy and send'}
            </button>
          )}
        </div>
      </header>
      {busy && (
        <p className="working" role="status">
          Working: {busy}…
        </p>
      )}
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      {heldByOther && (
        <p className="banner warn" role="status">
          {actorName(task.assignee)} is working on this task. You can read it; decisions are theirs until they
          release it.
        </p>
      )}

      {task.type === 'prior-authorization' && (
        <p className="banner info">
          Prior-authorization packet:{' '}
          <a href={`/api/tasks/${task.id}/packet.html`} target="_blank" rel="noreferrer">
            printable page
          </a>{' '}
          ·{' '}
          <a href={`/api/tasks/${task.id}/packet.json`} target="_blank" rel="noreferrer">
            JSON
          </a>
        </p>
      )}

      <div className="side-by-side">
        <section aria-labelledby="ehr-title" className="pane">
          <h2 id="ehr-title">Hospital discharge list (EHR)</h2>
          <SourceDocument task={task} selected={item} />
          {(task.payload?.extracted?.length ?? 0) > 0 && (
            <>
              <h3>Medicines read from it</h3>
              <ul className="plain">
                {task.payload?.extracted?.map((m, i) => (
                  <li key={i} className={item?.ehr?.evidence?.text === m.text ? 'hl' : undefined}>
                    {m.text}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
        <section aria-labelledby="rx-title" className="pane">
          <h2 id="rx-title">Pharmacy profile</h2>
          {!profile && (
            <p className="loading" role="status">
              Loading the pharmacy profile…
            </p>
          )}
          {profile && <ProfileTable profile={profile} selected={item} />}
        </section>
      </div>

      {task.items.length > 0 && (
        <section aria-labelledby="items-title">
          <h2 id="items-title">
            Discrepancies{' '}
            <span className="muted">
              ({task.items.length - undecided} of {task.items.length} decided · keys: j/k move, a approve, e
              edit, r reject)
            </span>
          </h2>
          <ol className="items">
            {task.items.map((it, i) => (
              <ItemCard
                key={it.id}
                item={it}
                index={i}
                selected={i === selected}
                disabled={!open || heldByOther || busy !== null}
                onSelect={() => setSelected(i)}
                onDecide={(d, reason, action) => void decide(it, d, reason, action)}
                cardRef={(el) => {
                  cards.current[i] = el;
                }}
              />
            ))}
          </ol>
        </section>
      )}

      <div className="two-col">
        {(task.note !== '' || task.items.length > 0) && (
          <section aria-labelledby="note-title">
            <h2 id="note-title">
              Note to the PCP {task.noteEdited ? '(edited by you)' : '(drafted by RxBridge)'}
            </h2>
            <label htmlFor="note" className="sr-only">
              Note to the primary care provider
            </label>
            <textarea
              id="note"
              rows={9}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              disabled={task.status === 'applied' || task.status === 'rejected'}
              placeholder="The draft appears once items are decided."
            />
            <button
              type="button"
              onClick={() => void act('save note', '/note', { text: note })}
              disabled={busy !== null || note === task.note || task.status === 'applied'}
            >
              Save note
            </button>
          </section>
        )}
        <section aria-labelledby="comments-title">
          <h2 id="comments-title">Comments</h2>
          <ul className="plain">
            {task.comments.map((c, i) => (
              <li key={i}>
                <strong>{actorName(c.by)}</strong> <span className="muted">{shortTime(c.at)}</span>: {c.text}
              </li>
            ))}
            {task.comments.length === 0 && <li className="muted">No comments yet.</li>}
          </ul>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void act('comment', '/comments', { text: comment }).then((t) => t && setComment(''));
            }}
          >
            <label>
              Add a comment
              <input value={comment} onChange={(e) => setComment(e.target.value)} />
            </label>
            <button type="submit" disabled={busy !== null || comment.trim() === ''}>
              Comment
            </button>
          </form>
        </section>
      </div>

      {task.effects.length > 0 && (
        <section aria-labelledby="effects-title">
          <h2 id="effects-title">What was sent</h2>
          <table className="effects">
            <thead>
              <tr>
                <th scope="col">Result</th>
                <th scope="col">Where</th>
                <th scope="col">Detail</th>
                <th scope="col">Reference</th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              {task.effects.map((e) => (
                <tr key={e.key} className={`effect-${e.status}`}>
                  <td>{e.status === 'done' ? 'Done' : e.status === 'failed' ? 'Failed' : 'Not sent'}</td>
                  <td>{e.kind}</td>
                  <td>{e.detail}</td>
                  <td>{e.reference ?? ''}</td>
                  <td>{shortTime(e.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      {task.history.length > 0 && (
        <section aria-labelledby="history-title">
          <h2 id="history-title">History</h2>
          <ol className="plain history">
            {task.history.map((h, i) => (
              <li key={i}>
                <span className="muted">{shortTime(h.at)}</span> {actorName(h.by)}: {h.from} → {h.to} (
                {h.note})
              </li>
            ))}
          </ol>
        </section>
      )}
    </article>
  );
}

/** The source text with every item's evidence marked; the selected item's mark stands out. */
function SourceDocument({ task, selected }: { task: TaskDetail; selected: TaskItem | undefined }) {
  const texts = task.payload?.source?.text ?? [];
  if (texts.length === 0) return <p className="muted">No source text came with this task.</p>;
  return (
    <>
      <p className="muted">
        {task.payload?.source?.type ?? 'Message'} {task.payload?.source?.controlId ?? ''}
      </p>
      {texts.map((text, n) => {
        const marks = task.items
          .map((it) => ({ it, ev: it.ehr?.evidence ?? it.evidence?.ehr }))
          .filter((m) => m.ev?.text)
          .map((m) => {
            const ev = m.ev!;
            const atSpan =
              ev.span && text.slice(ev.span.start, ev.span.end) === ev.text
                ? ev.span.start
                : text.indexOf(ev.text!);
            return { it: m.it, start: atSpan, end: atSpan + ev.text!.length };
          })
          .filter((m) => m.start >= 0)
          .sort((a, b) => a.start - b.start);
        const parts: ReactNode[] = [];
        let at = 0;
        for (const m of marks) {
          if (m.start < at) continue;
          parts.push(text.slice(at, m.start));
          parts.push(
            <mark
              key={m.it.id}
              className={m.it.id === selected?.id ? 'current' : undefined}
              title={DISCREPANCY_LABEL[m.it.type] ?? m.it.type}
            >
              {text.slice(m.start, m.end)}
            </mark>,
          );
          at = m.end;
        }
        parts.push(text.slice(at));
        return (
          <pre key={n} className="source" aria-label={`Source document ${n + 1}`}>
            {parts.map((p, i) => (
              <Fragment key={i}>{p}</Fragment>
            ))}
          </pre>
        );
      })}
    </>
  );
}

function ProfileTable({ profile, selected }: { profile: Profile; selected: TaskItem | undefined }) {
  const lastFill = (id: string): string =>
    profile.fills
      .filter((f) => f.prescriptionId === id)
      .map((f) => f.date)
      .sort()
      .at(-1) ?? '—';
  return (
    <>
      <p className="muted">
        {profile.patient.given} {profile.patient.family} · born {profile.patient.birthDate} · PCP{' '}
        {profile.patient.pcp ?? 'not on file'}
      </p>
      <table className="profile">
        <thead>
          <tr>
            <th scope="col">Rx</th>
            <th scope="col">Drug</th>
            <th scope="col">Directions</th>
            <th scope="col">Status</th>
            <th scope="col">Last fill</th>
          </tr>
        </thead>
        <tbody>
          {profile.prescriptions.map((rx) => (
            <tr
              key={rx.id}
              className={selected?.pharmacy?.id === rx.id ? 'hl' : undefined}
              aria-current={selected?.pharmacy?.id === rx.id ? 'true' : undefined}
            >
              <td>{rx.rxNumber}</td>
              <td>{rx.drugName}</td>
              <td>{rx.sig}</td>
              <td className={`rx-${rx.status}`}>{rx.status}</td>
              <td>{lastFill(rx.id)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <strong>Allergies:</strong>{' '}
        {profile.allergies.map((a) => `${a.substance}${a.reaction ? ` (${a.reaction})` : ''}`).join(', ') ||
          'none recorded'}
      </p>
      {profile.notes.length > 0 && (
        <>
          <h3>Profile notes</h3>
          <ul className="plain">
            {profile.notes.map((n, i) => (
              <li key={i}>
                {n.drug}: {n.text}{' '}
                <span className="muted">
                  ({actorName(n.by)}, {shortTime(n.at)})
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function ItemCard(props: {
  item: TaskItem;
  index: number;
  selected: boolean;
  disabled: boolean;
  onSelect: () => void;
  onDecide: (decision: 'approve' | 'edit' | 'reject', reason: string, action?: ItemAction) => void;
  cardRef: (el: HTMLElement | null) => void;
}) {
  const { item, disabled } = props;
  const [reason, setReason] = useState(DEFAULT_REASON);
  const [editing, setEditing] = useState(false);
  const [kind, setKind] = useState<ItemAction['kind']>(item.proposed.kind);
  const [sig, setSig] = useState(item.proposed.sig ?? '');
  const [editNote, setEditNote] = useState(item.proposed.note ?? '');
  const [hint, setHint] = useState<string | null>(null);
  const reasonId = `reason-${props.index}`;
  const reject = (): void => {
    if (reason.trim() === DEFAULT_REASON || reason.trim().length < 3) {
      setHint('Say why you reject it: type the reason, then press Reject again.');
      document.getElementById(reasonId)?.focus();
      return;
    }
    setHint(null);
    props.onDecide('reject', reason);
  };
  const ev = item.ehr?.evidence ?? item.evidence?.ehr;
  const rx = item.evidence?.pharmacy;
  // A check finding has no hospital/pharmacy pair to compare; a report shows what the pharmacy system said it did.
  const isFinding = item.evidence?.facts !== undefined;
  const report = REPORT_ITEM_TYPES.has(item.type) ? (item.pharmacy as Record<string, unknown> | null) : null;
  const d = item.decision;

  return (
    <li>
      <article
        ref={props.cardRef}
        tabIndex={-1}
        className={`item prio-border-${item.priority}${props.selected ? ' selected' : ''}${d ? ` decided-${d.decision}` : ''}`}
        aria-labelledby={`item-${props.index}-title`}
        onFocus={props.onSelect}
        onClick={props.onSelect}
      >
        <h3 id={`item-${props.index}-title`}>
          <span className={`badge prio-${item.priority}`}>{PRIORITY_LABEL[item.priority]}</span> {item.drug}:{' '}
          {DISCREPANCY_LABEL[item.type] ?? item.type}
        </h3>
        <p className="suggest">{item.suggestedAction}</p>
        <dl className="evidence">
          {report ? (
            <>
              <dt>Pharmacy reports</dt>
              <dd>
                {Object.entries(report)
                  .map(([k, v]) => `${REPORT_FIELD_LABEL[k] ?? k} ${String(v)}`)
                  .join('; ')}
              </dd>
            </>
          ) : isFinding ? null : (
            <>
              <dt>Hospital says</dt>
              <dd>
                {ev?.text ? <q>{ev.text}</q> : <span className="muted">not on the discharge list</span>}
              </dd>
              <dt>Pharmacy has</dt>
              <dd>
                {rx ? (
                  <>
                    Rx {rx.rxNumber}: {rx.sig} (by {rx.prescriber}
                    {rx.lastFill
                      ? `; last filled ${rx.lastFill.date}, ${rx.lastFill.quantity} for ${rx.lastFill.daysSupply} days`
                      : ''}
                    )
                  </>
                ) : (
                  <span className="muted">no prescription</span>
                )}
              </dd>
            </>
          )}
          {item.evidence?.facts && (
            <>
              <dt>Evidence</dt>
              <dd>{item.evidence.facts.join('; ')}</dd>
            </>
          )}
          {item.evidence?.source && (
            <>
              <dt>Rule source</dt>
              <dd>{item.evidence.source.label}</dd>
            </>
          )}
          <dt>Approving will</dt>
          <dd>
            {ACTION_LABEL[item.proposed.kind]}
            {item.proposed.sig ? `: “${item.proposed.sig}”` : ''}
          </dd>
        </dl>
        {d ? (
          <p className={`decision decision-${d.decision}`} role="status">
            {d.decision === 'approve' ? 'Approved' : d.decision === 'edit' ? 'Edited' : 'Rejected'} by{' '}
            {actorName(d.by)}: {d.reason}
            {d.decision === 'edit'
              ? ` — ${ACTION_LABEL[d.action.kind]}${d.action.sig ? `: “${d.action.sig}”` : ''}`
              : ''}
          </p>
        ) : (
          <div className="decide">
            <label htmlFor={reasonId}>Reason</label>
            <input
              id={reasonId}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !editing) {
                  e.preventDefault();
                  props.onDecide('approve', reason);
                }
              }}
              disabled={disabled}
              aria-describedby={hint ? `${reasonId}-hint` : undefined}
            />
            {hint && (
              <p id={`${reasonId}-hint`} className="hint" role="alert">
                {hint}
              </p>
            )}
            {editing && (
              <fieldset className="edit">
                <legend>Instead of the proposal</legend>
                <label>
                  Action
                  <select value={kind} onChange={(e) => setKind(e.target.value as ItemAction['kind'])}>
                    {Object.entries(ACTION_LABEL).map(([k, label]) => (
                      <option key={k} value={k}>
                        {label}
                      </option>
                    ))}
                  </select>
                </label>
                {kind === 'update-regimen' && (
                  <label>
                    New directions
                    <input value={sig} onChange={(e) => setSig(e.target.value)} />
                  </label>
                )}
                {kind === 'add-note' && (
                  <label>
                    Profile note
                    <input value={editNote} onChange={(e) => setEditNote(e.target.value)} />
                  </label>
                )}
                <button
                  type="button"
                  className="primary"
                  disabled={disabled}
                  onClick={() =>
                    props.onDecide('edit', reason, {
                      kind,
                      ...(kind === 'update-regimen' && sig ? { sig } : {}),
                      ...(kind === 'add-note' && editNote ? { note: editNote } : {}),
                    })
                  }
                >
                  Save edit
                </button>
              </fieldset>
            )}
            <div className="buttons">
              <button
                type="button"
                className="approve"
                data-key="a"
                disabled={disabled}
                onClick={() => props.onDecide('approve', reason)}
              >
                Approve <kbd>a</kbd>
              </button>
              <button
                type="button"
                data-key="e"
                disabled={disabled}
                onClick={() => setEditing(!editing)}
                aria-expanded={editing}
              >
                Edit <kbd>e</kbd>
              </button>
              <button type="button" className="reject" data-key="r" disabled={disabled} onClick={reject}>
                Reject <kbd>r</kbd>
              </button>
            </div>
          </div>
        )}
      </article>
    </li>
  );
}
