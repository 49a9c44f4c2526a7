import { buildHistory, mulberry32 } from './histories';
import { acknowledgedOnTime, breachInstant, isOverdue } from '../../src/domain/sla-outcome';
import { dueAt } from '../../plugins/escalation/server/src/domain/clock';

const levels = [
  { order: 1, acknowledgeWithinHours: 24, resolveWithinHours: 48 },
  { order: 2, acknowledgeWithinHours: 24, resolveWithinHours: 168 },
];

describe('demo case histories', () => {
  const now = new Date('2026-11-21T00:00:00Z');
  const histories = Array.from({ length: 400 }, (_, i) =>
    buildHistory({ random: mulberry32(i + 1), now, levels, autoCloseDays: 7, hasAssignee: true })
  );

  it('never put an event in the future or before submission, and events are in order', () => {
    for (const h of histories) {
      let previous = Date.parse(h.fields.submittedAt);
      for (const e of h.events.filter((x) => x.type !== 'note')) {
        const at = Date.parse(e.occurredAt);
        expect(at).toBeGreaterThanOrEqual(previous);
        expect(at).toBeLessThanOrEqual(now.getTime());
        previous = at;
      }
    }
  });

  it('chain transitions: each starts where the previous ended and the last is the case status', () => {
    for (const h of histories) {
      let status = 'submitted';
      for (const e of h.events.filter((x) => x.type !== 'note')) {
        expect(e.fromStatus).toBe(status);
        status = e.toStatus;
      }
      expect(h.fields.caseStatus).toBe(status);
    }
  });

  it('are the same for the same random seed', () => {
    const again = buildHistory({ random: mulberry32(1), now, levels, autoCloseDays: 7, hasAssignee: true });
    expect(again).toEqual(histories[0]);
  });

  it('do not assign cases in departments without an officer', () => {
    const h = Array.from({ length: 50 }, (_, i) => buildHistory({ random: mulberry32(1000 + i), now, levels, autoCloseDays: 7, hasAssignee: false }));
    expect(h.every((x) => !x.assigned)).toBe(true);
  });

  it('stamp what the clocks would: on-time verdicts, the first breach and the escalated level', () => {
    const date = (v: unknown) => (v ? new Date(v as string) : null);
    for (const h of histories) {
      const f = h.fields;
      expect(f.acknowledgedOnTime === undefined).toBe(f.acknowledgedAt === undefined);
      expect(f.resolvedOnTime === undefined).toBe(f.resolvedAt === undefined);
      if (f.escalationLevel === 1 && f.acknowledgedAt) expect(f.acknowledgedOnTime).toBe(acknowledgedOnTime(date(f.acknowledgedAt)!, date(f.acknowledgeDueAt)));
      if (f.resolvedOnTime === true) expect(f.breachedAt).toBeNull();
      if (f.resolvedOnTime === false) expect(date(f.breachedAt)!.getTime()).toBeLessThanOrEqual(date(f.resolvedAt)!.getTime());
      // Acknowledged late at level 1: breached the instant after the acknowledge deadline, or earlier.
      if (f.escalationLevel === 1 && f.acknowledgedOnTime === false) expect(date(f.breachedAt)!.getTime()).toBeLessThanOrEqual(breachInstant(date(f.acknowledgeDueAt)!).getTime());
      const escalations = h.events.filter((e) => e.action === 'escalate');
      expect(escalations.map((e) => e.data?.escalationLevel)).toEqual(Array.from({ length: (f.escalationLevel as number) - 1 }, (_, i) => i + 2));
    }
    // A plausible caseload: most resolutions on time, some late, some breaches.
    const resolved = histories.filter((h) => h.fields.resolvedAt);
    const onTime = resolved.filter((h) => h.fields.resolvedOnTime).length;
    expect(onTime).toBeGreaterThan(resolved.length / 2);
    expect(onTime).toBeLessThan(resolved.length);
  });

  it('leave no case overdue that the sweep would have escalated', () => {
    const date = (v: unknown) => (v ? new Date(v as string) : null);
    let automatic = 0;
    for (const h of histories) {
      const f = h.fields;
      const c = { caseStatus: f.caseStatus as string, acknowledgeDueAt: date(f.acknowledgeDueAt), resolveDueAt: date(f.resolveDueAt) };
      const movable = ['acknowledged', 'assigned', 'in_progress', 'escalated'].includes(c.caseStatus) && (f.escalationLevel as number) < levels.length;
      if (movable) expect(isOverdue(c, now)).toBe(false);
      for (const e of h.events.filter((x) => x.action === 'escalate' && x.actorType === 'system')) {
        automatic += 1;
        expect(e.note).toMatch(/escalated automatically/);
      }
    }
    expect(automatic).toBeGreaterThan(0);
  });

  it('count deadlines as intake and escalation do: the level\'s durations on its calendar', () => {
    const business = [
      { order: 1, acknowledgeWithinHours: 24, resolveWithinHours: 48, calendar: 'business' as const, priorityOverrides: { urgent: { resolveWithinHours: 8 } } },
      { order: 2, acknowledgeWithinHours: 24, resolveWithinHours: 168, calendar: 'business' as const },
    ];
    const calendar = { timeZone: 'Asia/Kolkata', workingDays: [1, 2, 3, 4, 5], workingHours: null, holidays: new Set(['2026-10-02']) };
    const clock = { ...calendar, mode: 'business' as const };
    const built = Array.from({ length: 60 }, (_, i) => buildHistory({ random: mulberry32(500 + i), now, levels: business, autoCloseDays: 7, hasAssignee: true, calendar, priority: 'urgent' }));
    for (const h of built) {
      const f = h.fields;
      const start = new Date(f.slaStartedAt as string);
      const durations = f.escalationLevel === 1 ? { ack: 24, resolve: 8 } : { ack: 24, resolve: 168 };
      expect(f.acknowledgeDueAt).toBe(dueAt(start, durations.ack, clock).toISOString());
      expect(f.resolveDueAt).toBe(dueAt(start, durations.resolve, clock).toISOString());
      if (f.escalationLevel === 1) expect(f.slaStartedAt).toBe(f.submittedAt);
    }
    expect(built.some((h) => h.fields.escalationLevel === 2)).toBe(true);
  });
});
