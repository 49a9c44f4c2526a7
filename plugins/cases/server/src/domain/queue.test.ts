import { generateTrackingCode } from '../../../../../src/domain/tracking-code';
import { classifySearch, decodeCursor, dueAt, encodeCursor, parseQueueRequest, QUEUE_PAGE_SIZE } from './queue';

const code = generateTrackingCode('DIST', new Date('2026-11-30T10:00:00Z'), 'Asia/Kolkata', () => 3);

describe('the search box', () => {
  it('reads a whole tracking code in any case and spacing as that code', () => {
    expect(classifySearch(`  ${code.toLowerCase()} `)).toEqual({ kind: 'code', code, exact: true });
  });
  it('reads the start of a code as a prefix search, upper-cased', () => {
    expect(classifySearch('dist-2026')).toEqual({ kind: 'code', code: 'DIST-2026', exact: false });
  });
  it('reads a phone number with spaces, dashes, brackets or a plus as a number', () => {
    expect(classifySearch('+91 (98765) 432-10')).toEqual({ kind: 'phone', phone: '+919876543210' });
    expect(classifySearch('098765 43210')).toEqual({ kind: 'phone', phone: '09876543210' });
  });
  it('reads anything else as up to eight distinct words of two letters or more', () => {
    expect(classifySearch('Water  LEAK water a near the market')).toEqual({ kind: 'words', words: ['water', 'leak', 'near', 'the', 'market'] });
    expect(classifySearch('a b c')).toBeNull();
    expect(classifySearch('   ')).toBeNull();
    expect((classifySearch('one two three four five six seven eight nine ten') as any).words).toHaveLength(8);
  });
  it('does not take a short number or a mistyped code for a phone', () => {
    expect(classifySearch('12345')).toEqual({ kind: 'words', words: ['12345'] });
  });
});

describe('the cursor', () => {
  it('round-trips and refuses anything it did not make', () => {
    const cursor = { submittedAt: '2026-11-30T10:00:00.000Z', id: 42 };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    for (const bad of ['', 'x', Buffer.from('2026-11-30|0').toString('base64url'), Buffer.from('nonsense|4').toString('base64url'), Buffer.from('2026-11-30|4|5').toString('base64url'), Buffer.from('2026-11-30|1e3').toString('base64url')]) {
      expect(decodeCursor(bad)).toBeNull();
    }
  });
});

describe('a queue request', () => {
  it('defaults to every readable case, newest first, one page of the default size', () => {
    expect(parseQueueRequest({})).toEqual({ request: { view: 'all', filters: {}, search: null, pageSize: QUEUE_PAGE_SIZE.default, after: null } });
  });
  it('takes lists as commas or repeated parameters', () => {
    const parsed = parseQueueRequest({ view: 'overdue', status: 'submitted,escalated', priority: ['high', 'urgent'], level: '1,2', department: 'WATER', from: '2026-11-01', to: '2026-11-30T23:59:59Z' });
    expect(parsed).toMatchObject({ request: { view: 'overdue', filters: { status: ['submitted', 'escalated'], priority: ['high', 'urgent'], level: [1, 2], department: ['WATER'], from: '2026-11-01', to: '2026-11-30T23:59:59Z' } } });
  });
  it('names every wrong parameter, and an unknown one, in one answer', () => {
    const parsed = parseQueueRequest({ view: 'everything', status: 'lost', pageSize: '1000', after: 'bogus', level: 'two', department: "x' OR 1=1", from: 'yesterday', sort: 'id' }) as any;
    expect(parsed.problems.map((p: any) => p.path[0]).sort()).toEqual(['after', 'department', 'from', 'level', 'pageSize', 'sort', 'status', 'view']);
  });
  it('refuses a parameter given as an object (qs brackets)', () => {
    expect((parseQueueRequest({ pageSize: { $gt: 1 } }) as any).problems[0].path).toEqual(['pageSize']);
    expect((parseQueueRequest({ q: { $ne: '' } }) as any).problems[0].path).toEqual(['q']);
  });
});

describe('the deadline a case works towards', () => {
  const row = { acknowledgeDueAt: '2026-12-01T10:00:00.000Z', resolveDueAt: '2026-12-10T10:00:00.000Z' };
  it('is acknowledgement while submitted, resolution while open, none once resolved or ended', () => {
    expect(dueAt({ ...row, caseStatus: 'submitted' })).toBe(row.acknowledgeDueAt);
    expect(dueAt({ ...row, caseStatus: 'in_progress' })).toBe(row.resolveDueAt);
    expect(dueAt({ ...row, caseStatus: 'escalated' })).toBe(row.resolveDueAt);
    for (const status of ['resolved', 'closed', 'rejected']) expect(dueAt({ ...row, caseStatus: status })).toBeNull();
  });
});
