import { AuditFields, checkAnchor, diffOf, GENESIS_HASH, hashOf, START, StoredEvent, verifyPage } from './chain';

const chain = (n: number): StoredEvent[] => {
  const events: StoredEvent[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq += 1) {
    const fields: AuditFields = {
      seq,
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
      actorType: 'staff',
      actorId: '3',
      actorLabel: 'Harish Kumar',
      action: 'workflow.acknowledge',
      entityType: 'api::grievance.grievance',
      entityId: `doc${seq}`,
      projectId: 'p1',
      diff: { caseStatus: { from: 'submitted', to: 'acknowledged' }, note: 'हिंदी' },
      ip: '127.0.0.1',
      userAgent: 'jest',
      prevHash: prev,
    };
    const event = { ...fields, hash: hashOf(fields) };
    events.push(event);
    prev = event.hash;
  }
  return events;
};

describe('the audit chain', () => {
  it('verifies an intact chain page by page', () => {
    const events = chain(10);
    const first = verifyPage(START, events.slice(0, 4));
    const second = verifyPage(first.cursor, events.slice(4));
    expect(second.broken).toBeUndefined();
    expect(second.cursor).toEqual({ seq: 10, hash: events[9].hash, checked: 10 });
  });

  it('hashes the canonical form: key order does not matter, content does', () => {
    const [event] = chain(1);
    const reordered = Object.fromEntries(Object.entries(event).reverse()) as unknown as AuditFields;
    expect(hashOf(reordered)).toBe(event.hash);
    expect(hashOf({ ...event, diff: { note: 'हिंदी', caseStatus: { to: 'acknowledged', from: 'submitted' } } })).toBe(event.hash);
    expect(hashOf({ ...event, actorLabel: 'Someone else' })).not.toBe(event.hash);
  });

  it('names the first altered event', () => {
    const events = chain(6);
    events[3] = { ...events[3], diff: { caseStatus: { from: 'submitted', to: 'closed' } } };
    expect(verifyPage(START, events).broken).toEqual({ seq: 4, reason: 'altered' });
  });

  it('names a removed event', () => {
    const events = chain(6);
    events.splice(2, 1);
    expect(verifyPage(START, events).broken).toEqual({ seq: 3, reason: 'removed' });
  });

  it('names reordered events, even with their sequence numbers swapped back', () => {
    const events = chain(6);
    const swapped = [...events];
    [swapped[2], swapped[3]] = [{ ...events[3], seq: 3 }, { ...events[2], seq: 4 }];
    expect(verifyPage(START, swapped).broken?.seq).toBe(3);
  });

  it('catches a deleted tail against a head stored elsewhere', () => {
    const events = chain(5);
    const anchor = { seq: 5, hash: events[4].hash };
    const truncated = verifyPage(START, events.slice(0, 4));
    expect(truncated.broken).toBeUndefined();
    expect(checkAnchor(truncated.cursor, anchor, null)).toEqual({ seq: 5, reason: 'removed' });
    const whole = verifyPage(START, events);
    expect(checkAnchor(whole.cursor, anchor, events[4].hash)).toBeNull();
  });
});

describe('diffOf', () => {
  const attributes = {
    description: { type: 'text' },
    citizenPhone: { type: 'string', private: true },
    apiSecret: { type: 'string' },
    project: { type: 'relation' },
    updatedAt: { type: 'datetime' },
  };
  it('records changed fields and redacts private and secret ones', () => {
    const diff = diffOf(
      { description: 'a', citizenPhone: '+9111', apiSecret: 's1', updatedAt: 1 },
      { description: 'b', citizenPhone: '+9122', apiSecret: 's2', updatedAt: 2 },
      attributes
    );
    expect(diff).toEqual({
      description: { from: 'a', to: 'b' },
      citizenPhone: { from: '[redacted]', to: '[redacted]' },
      apiSecret: { from: '[redacted]', to: '[redacted]' },
    });
    expect(JSON.stringify(diff)).not.toMatch(/\+91|s1|s2/);
  });
  it('leaves out unchanged fields', () => {
    expect(diffOf({ description: 'a' }, { description: 'a' }, attributes)).toEqual({});
  });
});
