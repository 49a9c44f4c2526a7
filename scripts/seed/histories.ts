/**
 * Plausible case histories for demo data: what happened to a grievance between the day it was
 * received and now. Pure and deterministic for a given random source.
 */
import type { GrievanceStatus } from '../../src/domain/vocabulary';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Deterministic PRNG so the same seed builds the same demo. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Level {
  order: number;
  acknowledgeWithinHours: number | null;
  resolveWithinHours: number | null;
}

export interface HistoryEvent {
  type: 'transition' | 'assignment' | 'escalation' | 'note';
  action: string;
  fromStatus: GrievanceStatus;
  toStatus: GrievanceStatus;
  actorType: 'staff' | 'citizen' | 'system';
  visibility: 'internal' | 'public';
  note: string | null;
  occurredAt: string;
}

export interface History {
  fields: Record<string, unknown> & { submittedAt: string };
  events: HistoryEvent[];
  assigned: boolean;
  updatedAt: string;
}

type Weights = Partial<Record<GrievanceStatus, number>>;
const WEIGHTS_BY_AGE: Array<[number, Weights]> = [
  [30, { closed: 72, resolved: 3, rejected: 8, escalated: 5, in_progress: 4, assigned: 3, acknowledged: 3, submitted: 2 }],
  [7, { closed: 25, resolved: 15, rejected: 6, escalated: 12, in_progress: 18, assigned: 12, acknowledged: 7, submitted: 5 }],
  [0, { closed: 3, resolved: 7, rejected: 3, escalated: 5, in_progress: 20, assigned: 22, acknowledged: 20, submitted: 20 }],
];

const RESOLUTIONS = [
  'Pipeline repaired and supply restored; confirmed with the complainant by phone.',
  'Site inspected; contractor instructed to repair, repair verified by the engineer.',
  'Compensation paid by bank transfer; receipt shared with the complainant.',
  'Records corrected and a certified copy issued.',
  'Staff counselled and services restored; follow-up visit done.',
];
const REJECTIONS = [
  'Duplicate of an earlier grievance from the same household.',
  'Matter is sub judice; outside the mechanism.',
  'Not related to this project or administration; referred to the municipal corporation.',
];

function pickWeighted(random: () => number, weights: Weights): GrievanceStatus {
  const entries = Object.entries(weights) as Array<[GrievanceStatus, number]>;
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let r = random() * total;
  for (const [status, w] of entries) {
    r -= w;
    if (r <= 0) return status;
  }
  return entries[entries.length - 1][0];
}

export function buildHistory(input: {
  random: () => number;
  now: Date;
  levels: Level[];
  autoCloseDays: number;
  hasAssignee: boolean;
}): History {
  const { random, now, levels } = input;
  const between = (lo: number, hi: number) => lo + random() * (hi - lo);
  const age = between(0.05, 365) * DAY;
  const submitted = now.getTime() - age;
  const weights = WEIGHTS_BY_AGE.find(([minDays]) => age >= minDays * DAY)![1];
  let target = pickWeighted(random, weights);
  if (!input.hasAssignee && ['assigned', 'in_progress', 'escalated', 'resolved', 'closed'].includes(target)) target = 'acknowledged';

  // The path of actions that leads to the target, with the gap (hours) before each.
  type Step = [action: string, to: GrievanceStatus, gapHours: number];
  const steps: Step[] = [];
  // Most cases meet their deadlines; a minority run late, as in a real caseload.
  const ackGap = () => (random() < 0.9 ? between(1, 20) : between(30, 96));
  const resolveHours = levels[0]?.resolveWithinHours ?? 168;
  const resolveGap = () => resolveHours * (random() < 0.8 ? between(0.05, 0.4) : between(0.6, 2.5));
  const escalates = target === 'escalated' || (['resolved', 'closed'].includes(target) && random() < 0.15);
  if (target !== 'submitted') {
    if (target === 'rejected') {
      if (random() < 0.5) steps.push(['acknowledge', 'acknowledged', ackGap()]);
      steps.push(['reject', 'rejected', between(4, 96)]);
    } else {
      steps.push(['acknowledge', 'acknowledged', ackGap()]);
      if (target !== 'acknowledged') steps.push(['assign', 'assigned', between(1, 8)]);
      if (['in_progress', 'resolved', 'closed'].includes(target) || (escalates && random() < 0.6)) {
        if (target !== 'assigned') steps.push(['start', 'in_progress', between(1, 12)]);
      }
      if (escalates) steps.push(['escalate', 'escalated', between(48, 300)]);
      if (['resolved', 'closed'].includes(target)) steps.push(['resolve', 'resolved', resolveGap()]);
      if (target === 'closed') {
        steps.push(random() < 0.4 ? ['auto_close', 'closed', input.autoCloseDays * 24] : ['accept', 'closed', between(6, 120)]);
      }
    }
  }
  // Squeeze the history into the time since submission, keeping its proportions.
  const total = steps.reduce((sum, s) => sum + s[2], 0) * HOUR;
  const scale = total > age * 0.95 ? (age * 0.95) / total : 1;

  const fields: History['fields'] = {
    submittedAt: new Date(submitted).toISOString(),
    caseStatus: 'submitted',
    escalationLevel: 1,
    acknowledgeDueAt: null,
    resolveDueAt: null,
    slaState: 'on_track',
  };
  const level = (n: number) => levels.find((l) => l.order === n) ?? levels[levels.length - 1];
  const due = (from: number, hours: number | null) => (hours ? new Date(from + hours * HOUR).toISOString() : null);
  fields.acknowledgeDueAt = due(submitted, level(1).acknowledgeWithinHours);
  fields.resolveDueAt = due(submitted, level(1).resolveWithinHours);

  const events: HistoryEvent[] = [];
  let at = submitted;
  let status: GrievanceStatus = 'submitted';
  let escalationLevel = 1;
  for (const [action, to, gap] of steps) {
    at += gap * HOUR * scale;
    const iso = new Date(at).toISOString();
    const actorType = action === 'accept' ? 'citizen' : action === 'auto_close' ? 'system' : 'staff';
    let note: string | null = null;
    if (action === 'acknowledge') fields.acknowledgedAt = iso;
    if (action === 'escalate') {
      escalationLevel = Math.min(escalationLevel + 1, levels.length);
      fields.escalationLevel = escalationLevel;
      fields.resolveDueAt = due(at, level(escalationLevel).resolveWithinHours);
      note = 'Not resolved within the deadline at the lower level.';
    }
    if (action === 'resolve') {
      fields.resolvedAt = iso;
      fields.resolution = RESOLUTIONS[Math.floor(random() * RESOLUTIONS.length)];
      note = fields.resolution as string;
    }
    if (action === 'reject') {
      note = REJECTIONS[Math.floor(random() * REJECTIONS.length)];
      fields.closedAt = iso;
    }
    if (to === 'closed') fields.closedAt = iso;
    events.push({
      type: action === 'assign' ? 'assignment' : action === 'escalate' ? 'escalation' : 'transition',
      action,
      fromStatus: status,
      toStatus: to,
      actorType,
      visibility: 'public',
      note,
      occurredAt: iso,
    });
    if (actorType === 'staff' && random() < 0.25) {
      events.push({
        type: 'note',
        action: 'note',
        fromStatus: to,
        toStatus: to,
        actorType: 'staff',
        visibility: 'internal',
        note: 'Called the complainant; site visit planned.',
        occurredAt: new Date(at + HOUR * scale).toISOString(),
      });
    }
    status = to;
  }
  fields.caseStatus = status;
  fields.version = steps.length;

  const resolveDue = fields.resolveDueAt ? Date.parse(fields.resolveDueAt as string) : null;
  const ackDue = fields.acknowledgeDueAt ? Date.parse(fields.acknowledgeDueAt as string) : null;
  const finishedAt = fields.resolvedAt ? Date.parse(fields.resolvedAt as string) : status === 'rejected' ? at : now.getTime();
  const acknowledgedAt = fields.acknowledgedAt ? Date.parse(fields.acknowledgedAt as string) : status === 'rejected' ? at : now.getTime();
  if ((resolveDue && finishedAt > resolveDue) || (ackDue && acknowledgedAt > ackDue)) fields.slaState = 'breached';
  else if (resolveDue && !fields.resolvedAt && status !== 'rejected' && (now.getTime() - submitted) / (resolveDue - submitted) >= 0.75) {
    fields.slaState = 'at_risk';
  }
  if (status === 'closed' && random() < 0.6) {
    const rating = Math.min(5, 1 + Math.floor(random() * 5 + 0.8));
    fields.rating = rating;
    fields.feedback = rating >= 4 ? 'Thank you for the quick action.' : 'It took too long and I had to follow up many times.';
  }
  return {
    fields,
    events,
    assigned: events.some((e) => e.action === 'assign'),
    updatedAt: new Date(Math.max(at, submitted)).toISOString(),
  };
}
