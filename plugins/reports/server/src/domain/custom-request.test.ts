import { parseCustomRequest } from './custom-request';

const ZONE = 'Asia/Kolkata';
const errorsOf = (body: unknown) => {
  const r = parseCustomRequest(body, ZONE);
  return 'errors' in r ? r.errors.map((e) => e.path.join('.')) : [];
};

describe('parseCustomRequest', () => {
  it('takes local days, both inclusive, in the project time zone', () => {
    const r = parseCustomRequest({ project: 'dist', from: '2026-01-01', to: '2026-03-31' }, ZONE);
    expect('value' in r && r.value).toMatchObject({
      project: 'dist',
      from: new Date('2025-12-31T18:30:00.000Z'),
      to: new Date('2026-03-31T18:30:00.000Z'),
      label: '2026-01-01…2026-03-31',
      filters: {},
      formats: ['pdf', 'xlsx'],
    });
  });

  it('makes only the formats asked for, and refuses others', () => {
    const r = parseCustomRequest({ from: '2026-01-01', to: '2026-01-31', formats: ['xlsx'] }, ZONE);
    expect('value' in r && r.value.formats).toEqual(['xlsx']);
    expect(errorsOf({ from: '2026-01-01', to: '2026-01-31', formats: ['docx'] })).toEqual(['formats']);
    expect(errorsOf({ from: '2026-01-01', to: '2026-01-31', formats: [] })).toEqual(['formats']);
  });

  it('accepts a single day and normalises codes to upper case', () => {
    const r = parseCustomRequest({ from: '2026-02-10', to: '2026-02-10', department: 'water', category: 'dist-water-supply', region: 'DIST-B1', priority: 'urgent', channel: 'sms', locale: 'hi' }, ZONE);
    expect('value' in r && r.value).toMatchObject({
      label: '2026-02-10…2026-02-10',
      filters: { department: 'WATER', category: 'DIST-WATER-SUPPLY', region: 'DIST-B1', priority: 'urgent', channel: 'sms' },
      locale: 'hi',
    });
    if ('value' in r) expect(r.value.to.getTime() - r.value.from.getTime()).toBe(86_400_000);
  });

  it('names every wrong field at once', () => {
    expect(errorsOf({ from: '2026-02-30', to: 'yesterday', priority: 'critical', channel: 'fax', locale: 'de', department: "x' OR 1=1", owner: 1 }).sort()).toEqual(
      ['channel', 'department', 'from', 'locale', 'owner', 'priority', 'to'].sort()
    );
  });

  it('refuses a missing date, an inverted range and one longer than ten years', () => {
    expect(errorsOf({ to: '2026-01-01' })).toEqual(['from']);
    expect(errorsOf({ from: '2026-03-01', to: '2026-02-28' })).toEqual(['to']);
    expect(errorsOf({ from: '2010-01-01', to: '2026-01-01' })).toEqual(['to']);
    expect(errorsOf({ from: 20260101, to: '2026-01-02' })).toEqual(['from']);
  });

  it('refuses what is not an object', () => {
    expect(errorsOf([])).toEqual(['']);
    expect(errorsOf(null)).toEqual(['']);
  });
});
