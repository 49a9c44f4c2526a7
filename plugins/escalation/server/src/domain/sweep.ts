/**
 * What the sweep should do with one open case, decided purely from its clocks.
 */
import { Calendar, readClock, SlaState } from './clock';

export interface SweepCase {
  caseStatus: string;
  slaState: SlaState;
  slaStartedAt: Date | null;
  acknowledgedAt: Date | null;
  acknowledgeDueAt: Date | null;
  resolveDueAt: Date | null;
  escalationLevel: number;
}

const WORST: SlaState[] = ['on_track', 'at_risk', 'breached'];
const worse = (a: SlaState, b: SlaState) => (WORST.indexOf(a) >= WORST.indexOf(b) ? a : b);
/** Statuses in which a case waits for staff to pick it up: the acknowledge clock runs. */
const AWAITING_PICK_UP = ['submitted', 'escalated'];

/** The SLA state of an open case now: the worse of its running clocks. */
export function stateOf(c: SweepCase, now: Date, remindBeforeHours: number, calendar: Calendar): SlaState {
  const start = c.slaStartedAt ?? now;
  let state: SlaState = 'on_track';
  if (c.acknowledgeDueAt && AWAITING_PICK_UP.includes(c.caseStatus)) {
    state = worse(state, readClock({ start, due: c.acknowledgeDueAt, now, remindBeforeHours, calendar }).state);
  }
  if (c.resolveDueAt) state = worse(state, readClock({ start, due: c.resolveDueAt, now, remindBeforeHours, calendar }).state);
  return state;
}

/** Whether a breached case moves up: the project allows it and there is a level above. */
export function shouldEscalate(c: SweepCase, state: SlaState, autoEscalation: boolean, levels: number): boolean {
  return state === 'breached' && autoEscalation && c.escalationLevel < levels && ['acknowledged', 'assigned', 'in_progress', 'escalated'].includes(c.caseStatus);
}

/** Resolved cases the citizen never answered close after the project's auto-close days. */
export function shouldAutoClose(resolvedAt: Date | null, autoCloseDays: number, now: Date): boolean {
  return resolvedAt != null && now.getTime() - resolvedAt.getTime() >= autoCloseDays * 86_400_000;
}
