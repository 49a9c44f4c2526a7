/**
 * What the sweep should do with one open case, decided purely from its clocks.
 */
import { runningDeadlines } from '../../../../../src/domain/sla-outcome';
import { Calendar, dueAt, readClock, runningMillis, SlaState, AT_RISK_FRACTION } from './clock';

export interface SweepCase {
  caseStatus: string;
  slaState: string;
  slaStartedAt: Date | null;
  acknowledgedAt: Date | null;
  acknowledgeDueAt: Date | null;
  resolveDueAt: Date | null;
  escalationLevel: number;
}

/** The two deadlines a case can run against. */
export type ClockName = 'acknowledge' | 'resolve';

const HOUR = 3_600_000;
/** A breached case that cannot move up is looked at again daily, in case the ladder or the project's rules change. */
export const RECHECK_BREACHED_MS = 24 * HOUR;
const WORST: SlaState[] = ['on_track', 'at_risk', 'breached'];
const worse = (a: SlaState, b: SlaState) => (WORST.indexOf(a) >= WORST.indexOf(b) ? a : b);
/** Statuses from which the sweep may escalate a breached case (the workflow's `escalate`). */
const ESCALATABLE = ['acknowledged', 'assigned', 'in_progress', 'escalated'];

/** The deadlines whose clocks run now, with their due times. */
export function runningClocks(c: SweepCase): Array<{ clock: ClockName; due: Date }> {
  return runningDeadlines(c);
}

/** The state of each running clock now. */
export function clockStates(c: SweepCase, now: Date, remindBeforeHours: number, calendar: Calendar): Array<{ clock: ClockName; due: Date; state: SlaState }> {
  const start = c.slaStartedAt ?? now;
  return runningClocks(c).map(({ clock, due }) => ({ clock, due, state: readClock({ start, due, now, remindBeforeHours, calendar }).state }));
}

/** The SLA state of an open case now: the worse of its running clocks; `no_limit` when none runs. */
export function stateOf(c: SweepCase, now: Date, remindBeforeHours: number, calendar: Calendar): SlaState | 'no_limit' {
  const states = clockStates(c, now, remindBeforeHours, calendar);
  if (states.length === 0) return c.resolveDueAt || c.acknowledgeDueAt ? 'on_track' : 'no_limit';
  return states.reduce<SlaState>((acc, s) => worse(acc, s.state), 'on_track');
}

/**
 * The first instant after `now` at which the case's state can change: a clock reaching its
 * at-risk point (75 % used or remind-before left) or its deadline. Null when every running
 * clock is already breached or none runs. The sweep looks only at cases whose time has come,
 * so a sweep with nothing to do reads one index range and nothing else.
 */
export function nextCheckAt(c: SweepCase, now: Date, remindBeforeHours: number, calendar: Calendar): Date | null {
  const start = c.slaStartedAt ?? now;
  let next: number | null = null;
  for (const { due } of runningClocks(c)) {
    const allowedHours = runningMillis(start, due, calendar) / HOUR;
    const atRisk = Math.min(
      dueAt(start, allowedHours * AT_RISK_FRACTION, calendar).getTime(),
      dueAt(start, Math.max(allowedHours - remindBeforeHours, 0), calendar).getTime()
    );
    // Breached is "strictly after the deadline".
    for (const t of [atRisk, due.getTime() + 1]) {
      if (t > now.getTime() && (next === null || t < next)) next = t;
    }
  }
  return next === null ? null : new Date(next);
}

/** Whether a breached case moves up: the project allows it and there is a level above. */
export function shouldEscalate(c: SweepCase, state: string, autoEscalation: boolean, levels: number): boolean {
  return state === 'breached' && autoEscalation && c.escalationLevel < levels && ESCALATABLE.includes(c.caseStatus);
}

/** Resolved cases the citizen never answered close after the project's auto-close days. */
export function shouldAutoClose(resolvedAt: Date | null, autoCloseDays: number, now: Date): boolean {
  return resolvedAt != null && now.getTime() - resolvedAt.getTime() >= autoCloseDays * 86_400_000;
}
