// Shadow validation: what the engine did or would have done, item by item, against what pharmacists did.
import type { PharmacySystem } from '../../platform/pharmacy/pharmacy-system.ts';
import { stateShows } from './pharmacy-writeback.ts';
import { drugKey, type ActionFields, type ProposedItem } from './proposals.ts';
import type { Decision, EngineRun } from './rollout-store.ts';

/** Where the pharmacist's side of a comparison came from. */
export type TruthSource = 'decision' | 'pharmacy-state' | 'no-action';

export interface ItemComparison {
  messageId: string;
  drug: string;
  itemId?: string;
  /** Undefined: the engine proposed nothing (a miss). */
  engine?: ActionFields;
  pharmacist: ActionFields;
  source: TruthSource;
  agree: boolean;
  /** Field name → equal on both sides. A miss or a rejected proposal disagrees on `action` only. */
  fields: Record<string, boolean>;
}

export interface FieldAgreement {
  compared: number;
  agreed: number;
  rate: number | null;
}

export interface Agreement {
  /** Items compared (matched proposals, unanswered shadow proposals, misses). */
  compared: number;
  agreed: number;
  rate: number | null;
  perField: Record<string, FieldAgreement>;
  /** Proposals with a known answer; `accepted` of them unchanged (precision). */
  proposals: number;
  accepted: number;
  precision: number | null;
  /** Pharmacists' actions (anything but "no action"); `found` of them proposed exactly (recall). */
  actions: number;
  found: number;
  recall: number | null;
  /** Proposals in suggest/auto not yet answered, or auto writes nobody reviewed: left out until answered. */
  pending: number;
  /** How many comparisons each source gave. */
  bySource: Record<TruthSource, number>;
}

const NO_ACTION = 'none';

function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}

function pharmacistFields(item: ProposedItem, decision: Decision): ActionFields {
  if (decision.verdict === 'approve') return item.fields;
  if (decision.verdict === 'reject' || decision.verdict === 'reverse')
    return { action: NO_ACTION, drug: item.fields['drug'] ?? drugKey(item.drug) };
  return decision.fields;
}

function compareFields(engine: ActionFields | undefined, pharmacist: ActionFields): Record<string, boolean> {
  if (engine === undefined || pharmacist['action'] === NO_ACTION || engine['action'] === NO_ACTION)
    return { action: (engine?.['action'] ?? NO_ACTION) === pharmacist['action'] };
  const out: Record<string, boolean> = {};
  for (const name of new Set([...Object.keys(engine), ...Object.keys(pharmacist)])) {
    out[name] = engine[name] === pharmacist[name];
  }
  return out;
}

function matchDecision(item: ProposedItem, decisions: Decision[], used: Set<Decision>): Decision | undefined {
  const open = decisions.filter((d) => !used.has(d));
  const byItem = open.filter((d) => d.itemId === item.itemId);
  if (byItem.length > 0) return byItem.at(-1);
  const manual = open.filter((d) => d.verdict === 'manual' && d.itemId === undefined);
  if (item.prescriptionId !== undefined) {
    const byRx = manual.find((d) => d.fields['prescription'] === item.prescriptionId);
    if (byRx) return byRx;
  }
  return manual.find((d) => d.fields['drug'] === drugKey(item.drug));
}

/**
 * Compares every run with the decisions on the same message. Without a decision, a proposal counts as agreed
 * when the pharmacy's current state already shows its write (a pharmacist made the change by hand), and as a
 * false alarm when it was only recorded in shadow mode; task and unreviewed auto items stay pending.
 */
export async function compareRuns(
  runs: readonly EngineRun[],
  decisions: readonly Decision[],
  pharmacy?: PharmacySystem,
): Promise<{ comparisons: ItemComparison[]; agreement: Agreement }> {
  const byMessage = new Map<string, Decision[]>();
  for (const d of decisions) {
    const list = byMessage.get(d.messageId) ?? [];
    list.push(d);
    byMessage.set(d.messageId, list);
  }
  const comparisons: ItemComparison[] = [];
  let pending = 0;
  for (const run of runs) {
    const own = byMessage.get(run.messageId) ?? [];
    const used = new Set<Decision>();
    const profile =
      pharmacy && run.items.some((i) => i.write) ? await pharmacy.getProfile(run.patientId) : undefined;
    for (const item of run.items) {
      const decision = matchDecision(item, own, used);
      // Every decision on this item is consumed (an approval followed by a reversal is one answer: the last).
      for (const d of own)
        if (d === decision || (d.itemId !== undefined && d.itemId === item.itemId)) used.add(d);
      let pharmacist: ActionFields;
      let source: TruthSource;
      if (decision) {
        pharmacist = pharmacistFields(item, decision);
        source = 'decision';
      } else if (item.disposition !== 'auto-applied' && item.write && stateShows(profile, item.write)) {
        pharmacist = item.fields;
        source = 'pharmacy-state';
      } else if (item.disposition === 'recorded') {
        pharmacist = { action: NO_ACTION, drug: item.fields['drug'] ?? drugKey(item.drug) };
        source = 'no-action';
      } else {
        pending++;
        continue;
      }
      const fields = compareFields(item.fields, pharmacist);
      comparisons.push({
        messageId: run.messageId,
        drug: item.drug,
        itemId: item.itemId,
        engine: item.fields,
        pharmacist,
        source,
        agree: Object.values(fields).every(Boolean),
        fields,
      });
    }
    for (const d of own) {
      if (used.has(d) || d.verdict !== 'manual') continue;
      const fields = compareFields(undefined, d.fields);
      comparisons.push({
        messageId: run.messageId,
        drug: d.fields['drug'] ?? '',
        pharmacist: d.fields,
        source: 'decision',
        agree: false,
        fields,
      });
    }
  }
  return { comparisons, agreement: summarize(comparisons, pending) };
}

export function summarize(comparisons: readonly ItemComparison[], pending = 0): Agreement {
  const perField: Record<string, FieldAgreement> = {};
  for (const c of comparisons) {
    for (const [name, equal] of Object.entries(c.fields)) {
      const f = (perField[name] ??= { compared: 0, agreed: 0, rate: null });
      f.compared++;
      if (equal) f.agreed++;
    }
  }
  for (const f of Object.values(perField)) f.rate = ratio(f.agreed, f.compared);
  const agreed = comparisons.filter((c) => c.agree).length;
  const proposals = comparisons.filter((c) => c.engine !== undefined);
  const accepted = proposals.filter((c) => c.agree).length;
  const actions = comparisons.filter((c) => c.pharmacist['action'] !== NO_ACTION);
  const found = actions.filter((c) => c.agree).length;
  const bySource: Record<TruthSource, number> = { decision: 0, 'pharmacy-state': 0, 'no-action': 0 };
  for (const c of comparisons) bySource[c.source]++;
  return {
    compared: comparisons.length,
    agreed,
    rate: ratio(agreed, comparisons.length),
    perField,
    proposals: proposals.length,
    accepted,
    precision: ratio(accepted, proposals.length),
    actions: actions.length,
    found,
    recall: ratio(found, actions.length),
    pending,
    bySource,
  };
}
