import { buildHistory, mulberry32 } from './histories';

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
});
