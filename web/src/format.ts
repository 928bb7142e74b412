// Small display helpers shared by the pages.

export function relativeDue(iso: string, now = Date.now()): string {
  const minutes = Math.round((Date.parse(iso) - now) / 60_000);
  const abs = Math.abs(minutes);
  const span =
    abs < 60 ? `${abs} min` : abs < 48 * 60 ? `${Math.round(abs / 60)} h` : `${Math.round(abs / 1440)} d`;
  return minutes < 0 ? `overdue ${span}` : `due in ${span}`;
}

export function shortTime(iso: string): string {
  const d = new Date(iso);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

/** A task type's name as the engine sent it (with the task list and the dashboard), else its id. */
export function typeName(type: string, fromEngine?: Record<string, string>): string {
  return fromEngine?.[type] ?? type;
}

export const PRIORITY_LABEL: Record<string, string> = { high: 'High', medium: 'Medium', low: 'Low' };

export const SLA_LABEL: Record<string, string> = {
  overdue: 'Overdue',
  'due-soon': 'Due within 2 h',
  'on-time': 'On time',
  done: 'Done',
};

export const STATUS_LABEL: Record<string, string> = {
  open: 'Open',
  claimed: 'Claimed',
  approved: 'Approved — ready to apply',
  edited: 'Edited — ready to apply',
  rejected: 'Rejected',
  applied: 'Applied',
  failed: 'Apply failed',
};

export const DISCREPANCY_LABEL: Record<string, string> = {
  omission: 'On discharge list, not in pharmacy',
  commission: 'In pharmacy, not on discharge list',
  'dose-change': 'Dose changed',
  'frequency-change': 'Frequency changed',
  'route-change': 'Route changed',
  'formulation-change': 'Formulation changed',
  duplicate: 'Duplicate',
  'therapeutic-duplication': 'Therapeutic duplication',
  'discontinued-still-active': 'Stopped in hospital, still active here',
  'held-still-active': 'Held in hospital, still active here',
  'discontinued-still-filling': 'Stopped, still being filled',
  'new-not-yet-filled': 'New, not yet filled',
};

export const ACTION_LABEL: Record<string, string> = {
  discontinue: 'Discontinue the prescription',
  hold: 'Put the prescription on hold',
  'update-regimen': 'Update the prescription to the discharge regimen',
  'add-note': 'Add a note to the profile',
  none: 'No change',
};

export function actorName(actor: string | null): string {
  if (!actor) return '—';
  return actor.replace(/^user:/, '');
}
