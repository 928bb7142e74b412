// Minutes a pharmacist would spend doing a task's work by hand, per task type, and the dashboard's "estimated minutes
// saved" computed from them. Each figure names its source and what the source measured; a figure without a published
// time study is marked `estimate` with the reasoning. The time spent reviewing the task in RxBridge is not
// subtracted, so the total is an upper bound of the time saved, not a measurement.

import type { ReviewTaskType } from './task-model.ts';

export interface MinutesBaseline {
  /** Minutes of by-hand work one applied task of this type stands for. */
  minutes: number;
  /** `published`: the figure comes from the cited study; `estimate`: ours, with the reasoning in `figure`. */
  basis: 'published' | 'estimate';
  /** Where the figure comes from (study, year, address). */
  source: string;
  /** What the source measured, and how the minutes were taken from it. */
  figure: string;
}

const MEGUERDITCHIAN_2013 =
  'Meguerditchian AN et al., Medication reconciliation at admission and discharge: a time and motion study, ' +
  'BMC Health Services Research 2013;13:485, https://doi.org/10.1186/1472-6963-13-485';
const EPLING_2014 =
  'Epling JW, Mader EM, Morley CP, Practice characteristics and prior authorization costs, BMC Health Services ' +
  'Research 2014;14:109, https://doi.org/10.1186/1472-6963-14-109';
const ALERT_PILOT =
  'When an Alert is Not an Alert: A Pilot Study to Characterize Behavior and Cognition Associated with Medication ' +
  'Alerts (eye tracking of 10 pharmacists, 567 order verifications), PMID 30815194, ' +
  'https://pubmed.ncbi.nlm.nih.gov/30815194/';
const IRIGOYEN_2003 =
  'Irigoyen M et al., Time Flow Analysis of the Impact of an Immunization Registry on Vaccine Documentation, ' +
  '37th National Immunization Conference of CDC, 2003, https://cdc.confex.com/cdc/nic2003/techprogram/paper_2368.htm';
const HEALTH_MART_MTM =
  'Health Mart, How to conduct Comprehensive Medication Reviews (MTM service durations), ' +
  'https://join.healthmart.com/business-and-operations/how-to-conduct-comprehensive-medication-reviews/';
const UHSP_2016 =
  'University of Health Sciences and Pharmacy in St. Louis, Making the Call (2016), on a post-discharge call study ' +
  'presented at ACCP 2015, https://www.uhsp.edu/news/archive/2016/making-the-call.html';

/** Per task type: every type in src/review/task-model.ts must have a row (the compiler checks it). */
export const MINUTES_BASELINE: Readonly<Record<ReviewTaskType, MinutesBaseline>> = {
  'discharge-reconciliation': {
    minutes: 19.4,
    basis: 'published',
    source: MEGUERDITCHIAN_2013,
    figure:
      'Observed discharge reconciliation, internal medicine: mean 19.4 min per patient (SD 11.7); geriatrics 29.0, ' +
      'general surgery 9.9. The internal-medicine mean is used.',
  },
  'medication-reconciliation': {
    minutes: 19.4,
    basis: 'published',
    source: MEGUERDITCHIAN_2013,
    figure:
      'Same study: 19.4 min (internal medicine, discharge). The admission figures (46.2 min internal medicine, 92.2 ' +
      'geriatrics) include interviewing the patient, which a list comparison in RxBridge does not replace, so the ' +
      'discharge (list comparison) figure is used.',
  },
  interaction: {
    minutes: 14 / 60,
    basis: 'published',
    source: ALERT_PILOT,
    figure:
      'Pharmacists spent on average 14 s longer verifying orders with an alert than without one (alert interaction ' +
      'itself 3.9 s). 14 s per finding.',
  },
  'allergy-conflict': {
    minutes: 14 / 60,
    basis: 'published',
    source: ALERT_PILOT,
    figure: 'Same study (medication alerts in general, not split by kind): 14 s per finding.',
  },
  'renal-dose': {
    minutes: 14 / 60,
    basis: 'estimate',
    source: ALERT_PILOT,
    figure:
      'No time study of renal-dose checks found; taken as one more medication alert, the 14 s of the alert study.',
  },
  'prior-authorization': {
    minutes: 20,
    basis: 'published',
    source: EPLING_2014,
    figure:
      '435 prior-authorization events (medicines and services) in 9 primary care practices took roughly 20 min of ' +
      'office time each (regression constant 20.0 min; EHR use about 5 min less). 20 min per packet.',
  },
  'post-discharge-follow-up': {
    minutes: 5,
    basis: 'estimate',
    source: UHSP_2016,
    figure:
      'A news report of the study says the call takes about five minutes; no peer-reviewed duration found. 5 min, ' +
      'to be replaced by a time study.',
  },
  'adherence-note': {
    minutes: 10,
    basis: 'published',
    source: HEALTH_MART_MTM,
    figure:
      'Targeted MTM intervention (adherence, one condition or drug): 5 to 15 min. The middle, 10 min, is used.',
  },
  'mtm-summary': {
    minutes: 10,
    basis: 'estimate',
    source: HEALTH_MART_MTM,
    figure:
      'A comprehensive medication review takes 45 to 60 min in all, mostly with the patient; no published split for ' +
      'writing the summary to the prescriber. 10 min is our estimate for that part.',
  },
  'care-gap': {
    minutes: 10,
    basis: 'estimate',
    source: HEALTH_MART_MTM,
    figure:
      'Closing a care gap is a targeted intervention (5 to 15 min for one condition or drug); no study of care gaps ' +
      'alone found. The middle, 10 min.',
  },
  'immunization-report': {
    minutes: 1.5,
    basis: 'published',
    source: IRIGOYEN_2003,
    figure:
      'Nurse time to document one vaccination rose from 2.0 to 3.5 min when registry entry was added: 1.5 min per ' +
      'record for the registry report.',
  },
  'dispense-report': {
    minutes: 1.5,
    basis: 'estimate',
    source: IRIGOYEN_2003,
    figure:
      'No study of keying a dispense into an EHR found; taken as one registry-style record entry, the 1.5 min of ' +
      'the immunization registry study.',
  },
  exception: {
    minutes: 0,
    basis: 'estimate',
    source: 'none',
    figure:
      'A message the engine could not process: nothing was done for the pharmacist, so nothing is saved.',
  },
};

/** How the dashboard figure is computed, in one line (shown under it). */
export const MINUTES_SAVED_METHOD =
  'By-hand minutes from published time studies, per applied task by type (discharge reconciliation 19.4); ' +
  'review time in RxBridge not subtracted.';

export interface MinutesSaved {
  /** Rounded to whole minutes. */
  total: number;
  appliedTasks: number;
  byType: Record<string, { tasks: number; minutes: number }>;
  /** Applied tasks whose type has no baseline (counted as 0 minutes). */
  withoutBaseline: number;
}

/** Minutes saved by the applied tasks among `tasks`, from `baseline` (the table above unless given). */
export function minutesSaved(
  tasks: Iterable<{ type: string; status: string }>,
  baseline: Readonly<Record<string, MinutesBaseline>> = MINUTES_BASELINE,
): MinutesSaved {
  const byType: Record<string, { tasks: number; minutes: number }> = {};
  let sum = 0;
  let appliedTasks = 0;
  let withoutBaseline = 0;
  for (const t of tasks) {
    if (t.status !== 'applied') continue;
    appliedTasks += 1;
    const b = Object.hasOwn(baseline, t.type) ? baseline[t.type] : undefined;
    if (!b) withoutBaseline += 1;
    const minutes = b?.minutes ?? 0;
    const row = (byType[t.type] ??= { tasks: 0, minutes: 0 });
    row.tasks += 1;
    row.minutes += minutes;
    sum += minutes;
  }
  for (const row of Object.values(byType)) row.minutes = Math.round(row.minutes * 10) / 10;
  return { total: Math.round(sum), appliedTasks, byType, withoutBaseline };
}
