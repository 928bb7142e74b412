// Talking to the engine: JSON over fetch with the session cookie; errors become plain sentences for the screen.

export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue?: Array<{ diagnostics?: string; expression?: string[] }>;
}

function plainWords(status: number, body: unknown): string {
  const outcome = body as OperationOutcome | undefined;
  const said = outcome?.resourceType === 'OperationOutcome' ? outcome.issue?.[0]?.diagnostics : undefined;
  if (status === 401) return 'Your session has ended. Please sign in again.';
  if (status === 403) return said ? `Not allowed: ${said}.` : 'Your role does not allow this.';
  if (status === 409)
    return said ? `${capital(said)}. Reload to see the latest.` : 'Someone changed this meanwhile.';
  if (status >= 500)
    return 'The engine could not do this just now. Try again in a moment; if it keeps failing, tell IT.';
  return said ? capital(said) : `The request failed (${status}).`;
}

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  } catch {
    throw new ApiError(0, 'Cannot reach the RxBridge engine. Check the network connection.');
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) throw new ApiError(res.status, plainWords(res.status, body));
  return body as T;
}

export interface User {
  id: string;
  name: string;
  roles: string[];
  sites: string[];
}

export type Priority = 'high' | 'medium' | 'low';
export type Sla = 'overdue' | 'due-soon' | 'on-time' | 'done';

export interface TaskRow {
  id: string;
  type: string;
  typeLabel: string;
  priority: Priority;
  status: string;
  assignee: string | null;
  version: number;
  patient: { display: string; pharmacyPatientId?: string };
  site: string | null;
  summary: string | null;
  itemCount: number;
  decidedCount: number;
  dueAt: string;
  sla: Sla;
  createdAt: string;
}

export interface TaskList {
  total: number;
  counts: {
    byPriority: Record<string, number>;
    bySla: Record<string, number>;
    byType: Record<string, number>;
  };
  tasks: TaskRow[];
  /** The engine's name for every task type. */
  typeLabels: Record<string, string>;
}

export interface Evidence {
  text?: string;
  span?: { start: number; end: number };
  sourceReference?: string;
}

export interface ItemAction {
  kind: 'discontinue' | 'hold' | 'update-regimen' | 'add-note' | 'none';
  sig?: string;
  note?: string;
}

export interface TaskItem {
  id: string;
  type: string;
  priority: Priority;
  drug: string;
  suggestedAction: string;
  ehr: { name?: string; frequencyText?: string; evidence?: Evidence; confidence?: number } | null;
  pharmacy: { id: string; rxNumber?: string; drugName?: string; sig?: string; status?: string } | null;
  evidence: {
    /** Check findings: the facts the rule matched, and the rule's published source. */
    facts?: string[];
    source?: { label: string; url?: string };
    ehr?: Evidence;
    pharmacy?: {
      rxNumber: string;
      sig: string;
      prescriber: string;
      lastFill?: { date: string; quantity: number; daysSupply: number };
    };
  } | null;
  proposed: ItemAction;
  decision: {
    decision: 'approve' | 'edit' | 'reject';
    reason: string;
    action: ItemAction;
    by: string;
    at: string;
  } | null;
}

export interface TaskDetail extends TaskRow {
  items: TaskItem[];
  payload: {
    summary?: string;
    extracted?: Array<{ name: string; text: string; span?: { start: number; end: number } }>;
    source?: { text?: string[]; type?: string | null; controlId?: string | null };
    packet?: unknown;
    draft?: string;
  } | null;
  comments: Array<{ by: string; at: string; text: string }>;
  effects: Array<{
    key: string;
    target: string;
    kind: string;
    status: string;
    detail: string;
    reference?: string;
    at: string;
  }>;
  history: Array<{ at: string; by: string; from: string; to: string; note: string }>;
  note: string;
  noteEdited: boolean;
}

export interface Profile {
  patient: { id: string; given: string; family: string; birthDate: string; pcp?: string; phone?: string };
  prescriptions: Array<{
    id: string;
    rxNumber: string;
    drugName: string;
    sig: string;
    status: string;
    prescriber: string;
    refillsRemaining: number;
  }>;
  fills: Array<{ prescriptionId: string; date: string; quantity: number; daysSupply: number }>;
  allergies: Array<{ substance: string; reaction?: string; severity?: string }>;
  notes: Array<{ at: string; drug: string; text: string; by: string }>;
}
