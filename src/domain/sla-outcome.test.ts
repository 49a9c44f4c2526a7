import { acknowledgedOnTime, breachInstant, firstBreach, isOverdue, resolvedOnTime, runningDeadlines } from './sla-outcome';

const at = (iso: string) => new Date(iso);
const ack = at('2026-03-02T00:00:00Z');
const res = at('2026-03-09T00:00:00Z');

describe('running deadlines', () => {
  it('runs the acknowledge clock only while a case waits to be picked up, and none once it is finished', () => {
    expect(runningDeadlines({ caseStatus: 'submitted', acknowledgeDueAt: ack, resolveDueAt: res }).map((c) => c.clock)).toEqual(['acknowledge', 'resolve']);
    expect(runningDeadlines({ caseStatus: 'escalated', acknowledgeDueAt: ack, resolveDueAt: res }).map((c) => c.clock)).toEqual(['acknowledge', 'resolve']);
    expect(runningDeadlines({ caseStatus: 'in_progress', acknowledgeDueAt: ack, resolveDueAt: res }).map((c) => c.clock)).toEqual(['resolve']);
    for (const caseStatus of ['resolved', 'closed', 'rejected']) expect(runningDeadlines({ caseStatus, acknowledgeDueAt: ack, resolveDueAt: res })).toEqual([]);
  });

  it('is overdue strictly after a running deadline', () => {
    const c = { caseStatus: 'assigned', acknowledgeDueAt: ack, resolveDueAt: res };
    expect(isOverdue(c, res)).toBe(false);
    expect(isOverdue(c, breachInstant(res))).toBe(true);
    // The acknowledge deadline no longer runs once the case is acknowledged.
    expect(isOverdue(c, at('2026-03-05T00:00:00Z'))).toBe(false);
    expect(isOverdue({ ...c, caseStatus: 'submitted' }, at('2026-03-05T00:00:00Z'))).toBe(true);
    expect(isOverdue({ ...c, caseStatus: 'resolved' }, at('2027-01-01T00:00:00Z'))).toBe(false);
  });
});

describe('first breach', () => {
  const segment = (from: string, to: string, caseStatus: string, acknowledgeDueAt: Date | null, resolveDueAt: Date | null) => ({ from: at(from), to: at(to), caseStatus, acknowledgeDueAt, resolveDueAt });

  it('is null for a case that met every deadline', () => {
    expect(firstBreach([segment('2026-03-01T00:00:00Z', '2026-03-01T10:00:00Z', 'submitted', ack, res), segment('2026-03-01T10:00:00Z', '2026-03-05T00:00:00Z', 'in_progress', ack, res), segment('2026-03-05T00:00:00Z', '2027-01-01T00:00:00Z', 'resolved', ack, res)])).toBeNull();
  });

  it('is the instant after the deadline that ran out first', () => {
    expect(firstBreach([segment('2026-03-01T00:00:00Z', '2026-03-03T00:00:00Z', 'submitted', ack, res), segment('2026-03-03T00:00:00Z', '2026-03-20T00:00:00Z', 'in_progress', ack, res)])).toEqual(breachInstant(ack));
    expect(firstBreach([segment('2026-03-01T00:00:00Z', '2026-03-01T01:00:00Z', 'submitted', ack, res), segment('2026-03-01T01:00:00Z', '2026-03-20T00:00:00Z', 'in_progress', ack, res)])).toEqual(breachInstant(res));
  });

  it('starts afresh with the new deadlines of an escalation, and ignores the clocks of a finished case', () => {
    const later = at('2026-04-01T00:00:00Z');
    expect(firstBreach([segment('2026-03-01T00:00:00Z', '2026-03-08T00:00:00Z', 'in_progress', ack, res), segment('2026-03-08T00:00:00Z', '2026-03-20T00:00:00Z', 'escalated', later, later)])).toBeNull();
    expect(firstBreach([segment('2026-03-01T00:00:00Z', '2026-03-04T00:00:00Z', 'in_progress', ack, res), segment('2026-03-04T00:00:00Z', '2027-01-01T00:00:00Z', 'closed', ack, res)])).toBeNull();
  });
});

describe('on time', () => {
  it('acknowledges on time up to and including the deadline, or always without one', () => {
    expect(acknowledgedOnTime(ack, ack)).toBe(true);
    expect(acknowledgedOnTime(breachInstant(ack), ack)).toBe(false);
    expect(acknowledgedOnTime(at('2030-01-01T00:00:00Z'), null)).toBe(true);
  });

  it('resolves on time only by the deadline and without an earlier breach', () => {
    expect(resolvedOnTime(res, res, null)).toBe(true);
    expect(resolvedOnTime(breachInstant(res), res, null)).toBe(false);
    // Overdue at a lower level, then escalated with a fresh deadline: still late.
    expect(resolvedOnTime(at('2026-03-20T00:00:00Z'), at('2026-04-01T00:00:00Z'), breachInstant(res))).toBe(false);
    expect(resolvedOnTime(at('2026-03-20T00:00:00Z'), null, null)).toBe(true);
  });
});
