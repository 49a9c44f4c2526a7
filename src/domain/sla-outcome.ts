/**
 * What a case's SLA clocks say about it, as pure functions: which deadlines run in which status,
 * when a case first goes overdue, and whether it was acknowledged and resolved on time. The
 * escalation plugin stamps cases with these as they move (docs/sla.md), the demo seed derives
 * its invented histories' stamps with the same functions, and the reports count the stamps
 * (docs/reports.md), so "on time" and "breached" mean one thing everywhere.
 */
import type { GrievanceStatus } from './vocabulary';
import { OPEN_STATUSES } from './vocabulary';

/** Statuses in which a case waits for staff to pick it up: the acknowledge clock runs. */
export const AWAITING_PICK_UP: readonly GrievanceStatus[] = ['submitted', 'escalated'];

export type DeadlineName = 'acknowledge' | 'resolve';

export interface CaseDeadlines {
  caseStatus: string;
  acknowledgeDueAt: Date | null;
  resolveDueAt: Date | null;
}

/** The deadlines whose clocks run in the case's status: none once it is resolved, closed or rejected. */
export function runningDeadlines(c: CaseDeadlines): Array<{ clock: DeadlineName; due: Date }> {
  if (!(OPEN_STATUSES as readonly string[]).includes(c.caseStatus)) return [];
  const clocks: Array<{ clock: DeadlineName; due: Date }> = [];
  if (c.acknowledgeDueAt && AWAITING_PICK_UP.includes(c.caseStatus as GrievanceStatus)) clocks.push({ clock: 'acknowledge', due: c.acknowledgeDueAt });
  if (c.resolveDueAt) clocks.push({ clock: 'resolve', due: c.resolveDueAt });
  return clocks;
}

/** A clock is breached strictly after its deadline: the first instant it can be seen overdue. */
export function breachInstant(due: Date): Date {
  return new Date(due.getTime() + 1);
}

/** Whether a case is overdue at `now`: open, with a running clock past its deadline. */
export function isOverdue(c: CaseDeadlines, now: Date): boolean {
  return runningDeadlines(c).some(({ due }) => now.getTime() >= breachInstant(due).getTime());
}

/** One stretch of a case's life with the same status and deadlines, [from, to). */
export interface ClockSegment extends CaseDeadlines {
  from: Date;
  to: Date;
}

/**
 * The first instant a case went overdue over its history (consecutive segments, the last one
 * ending now), or null when it never did: what the sweep stamps as `breachedAt`, give or take
 * the sweep's interval.
 */
export function firstBreach(segments: readonly ClockSegment[]): Date | null {
  let first: number | null = null;
  for (const s of segments) {
    for (const { due } of runningDeadlines(s)) {
      const at = Math.max(breachInstant(due).getTime(), s.from.getTime());
      if (at < s.to.getTime() && (first === null || at < first)) first = at;
    }
  }
  return first === null ? null : new Date(first);
}

/** Acknowledged on time: by the acknowledge deadline of the level (no deadline: on time). */
export function acknowledgedOnTime(acknowledgedAt: Date, acknowledgeDueAt: Date | null): boolean {
  return !acknowledgeDueAt || acknowledgedAt.getTime() <= acknowledgeDueAt.getTime();
}

/** Resolved on time: by the resolve deadline and never overdue before, at any level. */
export function resolvedOnTime(resolvedAt: Date, resolveDueAt: Date | null, breachedAt: Date | null): boolean {
  if (breachedAt && breachedAt.getTime() <= resolvedAt.getTime()) return false;
  return !resolveDueAt || resolvedAt.getTime() <= resolveDueAt.getTime();
}
