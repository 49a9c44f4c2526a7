/**
 * Plausible case histories for demo data: what happened to a grievance between the day it was
 * received and now. Pure and deterministic for a given random source.
 *
 * The staff's actions and their times are invented; everything the clocks derive from them is
 * not: deadlines come from the level's durations on its calendar (as at intake and escalation),
 * and the on-time stamps, the first breach and the SLA state come from the same functions the
 * escalation plugin applies to real cases (src/domain/sla-outcome.ts, docs/sla.md).
 */
import type { GrievanceStatus } from '../../src/domain/vocabulary';
import { acknowledgedOnTime, ClockSegment, firstBreach, resolvedOnTime } from '../../src/domain/sla-outcome';
import { Calendar, dueAt } from '../../plugins/escalation/server/src/domain/clock';
import { durationsFor } from '../../plugins/escalation/server/src/domain/levels';
import { nextCheckAt, RECHECK_BREACHED_MS, shouldEscalate, stateOf, SweepCase } from '../../plugins/escalation/server/src/domain/sweep';

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
  remindBeforeHours?: number | null;
  calendar?: 'business' | 'calendar';
  priorityOverrides?: Record<string, { acknowledgeWithinHours?: number | null; resolveWithinHours?: number | null }> | null;
}

/** The statuses each invented step starts from (the workflow's table, docs/workflow.md). */
const LEGAL_FROM: Record<string, GrievanceStatus[]> = {
  acknowledge: ['submitted'],
  assign: ['acknowledged', 'escalated', 'assigned'],
  start: ['assigned'],
  escalate: ['acknowledged', 'assigned', 'in_progress', 'escalated'],
  resolve: ['in_progress', 'escalated'],
  reject: ['submitted', 'acknowledged'],
  accept: ['resolved'],
  auto_close: ['resolved'],
};

/** Around the clock in UTC: the calendar of a level whose project gives none. */
const ROUND_THE_CLOCK: Omit<Calendar, 'mode'> = { timeZone: 'UTC', workingDays: [1, 2, 3, 4, 5, 6, 7], workingHours: null, holidays: new Set() };

export interface HistoryEvent {
  type: 'transition' | 'assignment' | 'escalation' | 'note';
  action: string;
  fromStatus: GrievanceStatus;
  toStatus: GrievanceStatus;
  actorType: 'staff' | 'citizen' | 'system';
  visibility: 'internal' | 'public';
  note: string | null;
  occurredAt: string;
  /** What the real workflow records with the event (the level moved to, for an escalation). */
  data?: Record<string, unknown> | null;
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
  /** The project's auto-escalation (on by default, as the demo projects have it). */
  autoEscalation?: boolean;
  /** The case's priority, for the levels' per-priority durations. */
  priority?: string;
  /** The project's working calendar (time zone, working days, holidays); a level's mode applies on it. */
  calendar?: Omit<Calendar, 'mode'>;
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

  const level = (n: number) => levels.find((l) => l.order === n) ?? levels[levels.length - 1];
  const calendarOf = (n: number): Calendar => ({ ...(input.calendar ?? ROUND_THE_CLOCK), mode: level(n).calendar ?? 'calendar' });
  /** A level's deadlines counted from `from`, as intake and escalation set them. */
  const deadlinesAt = (from: number, order: number) => {
    const durations = durationsFor({ ...level(order), calendar: level(order).calendar ?? 'calendar' }, input.priority);
    const due = (hours: number | null) => (hours ? dueAt(new Date(from), hours, calendarOf(order)) : null);
    return { acknowledgeDueAt: due(durations.acknowledgeWithinHours), resolveDueAt: due(durations.resolveWithinHours) };
  };
  const iso = (d: Date | null) => (d ? d.toISOString() : null);

  const fields: History['fields'] = {
    submittedAt: new Date(submitted).toISOString(),
    caseStatus: 'submitted',
    escalationLevel: 1,
  };
  let status = 'submitted' as GrievanceStatus;
  let escalationLevel = 1;
  let slaStartedAt = submitted;
  let clocks = deadlinesAt(submitted, 1);
  // The case's life as stretches of one status and one set of deadlines, for the first breach.
  const segments: ClockSegment[] = [];
  let segmentFrom = submitted;
  const closeSegment = (until: number) => {
    segments.push({ from: new Date(segmentFrom), to: new Date(until), caseStatus: status, ...clocks });
    segmentFrom = until;
  };

  const events: HistoryEvent[] = [];
  let autoEscalated = false;
  /**
   * What the sweep does until `until`: a case it may move up (docs/sla.md#the-sweep) goes up a
   * level the instant it is overdue, and starts afresh there, possibly to go overdue again.
   */
  const sweepUntil = (until: number) => {
    for (;;) {
      const breach = firstBreach([{ from: new Date(segmentFrom), to: new Date(until), caseStatus: status, ...clocks }]);
      if (!breach || !shouldEscalate({ caseStatus: status, escalationLevel } as SweepCase, 'breached', input.autoEscalation ?? true, levels.length)) return;
      const t = breach.getTime();
      closeSegment(t);
      events.push({
        type: 'escalation',
        action: 'escalate',
        fromStatus: status,
        toStatus: 'escalated',
        actorType: 'system',
        visibility: 'public',
        note: `Missed the level ${escalationLevel} deadline: escalated automatically.`,
        occurredAt: breach.toISOString(),
        data: { escalationLevel: escalationLevel + 1 },
      });
      escalationLevel += 1;
      fields.escalationLevel = escalationLevel;
      status = 'escalated';
      slaStartedAt = t;
      clocks = deadlinesAt(t, escalationLevel);
      autoEscalated = true;
    }
  };

  /** One step by a person at `at`, unless the sweep has made it moot or impossible. */
  const perform = (action: string, to: GrievanceStatus, at: number) => {
    sweepUntil(at);
    // The planned escalation happened automatically; starting work on a case now waiting at a
    // higher level is not a step the workflow allows.
    if ((action === 'escalate' && autoEscalated) || !LEGAL_FROM[action].includes(status)) return;
    closeSegment(at);
    const when = new Date(at);
    const occurredAt = when.toISOString();
    const actorType = action === 'accept' ? 'citizen' : action === 'auto_close' ? 'system' : 'staff';
    let note: string | null = null;
    let data: Record<string, unknown> | null = null;
    if (action === 'acknowledge') {
      fields.acknowledgedAt = occurredAt;
      fields.acknowledgedOnTime = acknowledgedOnTime(when, clocks.acknowledgeDueAt);
    }
    if (action === 'escalate') {
      escalationLevel = Math.min(escalationLevel + 1, levels.length);
      fields.escalationLevel = escalationLevel;
      // A fresh start at the new level, as the escalation plugin gives every escalated case.
      slaStartedAt = at;
      clocks = deadlinesAt(at, escalationLevel);
      note = 'Not resolved within the deadline at the lower level.';
      data = { escalationLevel };
    }
    if (action === 'resolve') {
      fields.resolvedAt = occurredAt;
      fields.resolvedOnTime = resolvedOnTime(when, clocks.resolveDueAt, firstBreach(segments));
      fields.resolution = RESOLUTIONS[Math.floor(random() * RESOLUTIONS.length)];
      note = fields.resolution as string;
    }
    if (action === 'reject') {
      note = REJECTIONS[Math.floor(random() * REJECTIONS.length)];
      fields.closedAt = occurredAt;
    }
    if (to === 'closed') fields.closedAt = occurredAt;
    events.push({
      type: action === 'assign' ? 'assignment' : action === 'escalate' ? 'escalation' : 'transition',
      action,
      fromStatus: status,
      toStatus: to,
      actorType,
      visibility: 'public',
      note,
      occurredAt,
      data,
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
  };

  let at = submitted;
  for (const [action, to, gap] of steps) {
    at += gap * HOUR * scale;
    perform(action, to, at);
  }
  sweepUntil(now.getTime());
  // A case the sweep moved up waits for the new level's people, who pick up the work it was in.
  if (autoEscalated && status === 'escalated' && input.hasAssignee && ['assigned', 'in_progress'].includes(target)) {
    const pickUp: Array<[string, GrievanceStatus]> = target === 'in_progress' ? [['assign', 'assigned'], ['start', 'in_progress']] : [['assign', 'assigned']];
    for (const [action, to] of pickUp) perform(action, to, segmentFrom + (now.getTime() - segmentFrom) * between(0.05, 0.4));
    sweepUntil(now.getTime());
  }
  closeSegment(now.getTime());
  fields.caseStatus = status;
  fields.version = events.filter((e) => e.type !== 'note').length;
  fields.slaStartedAt = new Date(slaStartedAt).toISOString();
  fields.acknowledgeDueAt = iso(clocks.acknowledgeDueAt);
  fields.resolveDueAt = iso(clocks.resolveDueAt);
  const breachedAt = firstBreach(segments);
  fields.breachedAt = iso(breachedAt);

  // The SLA state and next check time as the sweep leaves them: open cases read from their
  // running clocks now; a finished case keeps whether it ever went overdue.
  const sweepCase = {
    caseStatus: status,
    slaState: 'on_track',
    slaStartedAt: new Date(slaStartedAt),
    acknowledgedAt: fields.acknowledgedAt ? new Date(fields.acknowledgedAt as string) : null,
    ...clocks,
    escalationLevel,
  };
  const remindBeforeHours = level(escalationLevel).remindBeforeHours ?? 0;
  if (!clocks.acknowledgeDueAt && !clocks.resolveDueAt) {
    fields.slaState = 'no_limit';
    fields.slaCheckAt = null;
  } else if (['submitted', 'acknowledged', 'assigned', 'in_progress', 'escalated'].includes(status)) {
    fields.slaState = stateOf(sweepCase, now, remindBeforeHours, calendarOf(escalationLevel));
    fields.slaCheckAt = iso(nextCheckAt(sweepCase, now, remindBeforeHours, calendarOf(escalationLevel)) ?? new Date(now.getTime() + RECHECK_BREACHED_MS));
  } else {
    fields.slaState = breachedAt ? 'breached' : 'on_track';
    fields.slaCheckAt = null;
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
    updatedAt: new Date(Math.max(submitted, ...events.map((e) => Date.parse(e.occurredAt)))).toISOString(),
  };
}
