import { plan, retryDelay } from './plan';

const grievance = { id: 1, documentId: 'd', trackingCode: 'T', projectId: 'p', departmentId: 'x' };
const transitioned = (action: string, notify: string[]) =>
  ({ type: 'grievance.transitioned', action, notify, grievance, from: 'submitted', to: 'acknowledged', version: 1, actor: { type: 'staff', label: 'A' }, at: '', details: {}, historyEventId: 1 }) as any;

describe('what each change tells whom', () => {
  it('sends the citizen a receipt at intake', () => {
    expect(plan({ ...transitioned('submit', []), type: 'grievance.received' })).toEqual([{ event: 'received', audiences: ['citizen'] }]);
  });
  it('tells the assignee of an assignment and the citizen of an acknowledgement', () => {
    expect(plan(transitioned('assign', ['assigned']))).toEqual([{ event: 'assigned', audiences: ['assignee'] }]);
    expect(plan(transitioned('acknowledge', ['acknowledged']))).toEqual([{ event: 'acknowledged', audiences: ['citizen'] }]);
  });
  it('tells the new level for action and the levels below for information when a case is routed', () => {
    const routed = { type: 'grievance.routed', action: 'escalate', level: 2, regionId: null, assigneeId: 5, notifyUserIds: [], grievance, at: '' } as any;
    expect(plan(routed)).toEqual([{ event: 'escalated', audiences: ['level_for_action', 'levels_for_information'] }]);
    expect(plan({ ...routed, action: 'appeal' })[0].event).toBe('appeal_received');
  });
  it('reminds the assignee before a deadline and tells the department head of a breach', () => {
    const sla = { type: 'grievance.sla', kind: 'at_risk', clock: 'resolve', level: 1, dueAt: '', grievance, at: '' } as any;
    expect(plan(sla)).toEqual([{ event: 'sla_at_risk', audiences: ['assignee'] }]);
    expect(plan({ ...sla, kind: 'breached' })).toEqual([{ event: 'sla_breached', audiences: ['assignee', 'department_head'] }]);
  });
  it('says nothing for a note', () => {
    expect(plan(transitioned('note', []))).toEqual([]);
  });
});

describe('retry back-off', () => {
  it('doubles from the base up to the cap', () => {
    expect([1, 2, 3, 4].map((n) => retryDelay(n, 1000, 5000))).toEqual([1000, 2000, 4000, 5000]);
  });
});
