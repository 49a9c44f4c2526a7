import { open311Status, parseRequestQuery, toDefinition, toRequest, toService, toXml } from './georeport';

describe('GeoReport v2 shapes', () => {
  const category = { code: 'DIST-WATER-SUPPLY', name: 'Water supply', keywords: ['water', 'pipe'], intakeFields: [{ code: 'since', label: 'Since when?', datatype: 'datetime', required: true, order: 1 }, { code: 'kind', label: 'Kind', datatype: 'singlevaluelist', required: false, allowedValues: ['tap', 'pump'], order: 2 }] };
  it('publishes a category as a service with its extra questions as attributes', () => {
    expect(toService(category)).toMatchObject({ service_code: 'DIST-WATER-SUPPLY', metadata: true, type: 'realtime', keywords: '' });
    expect(toDefinition(category).attributes).toEqual([
      expect.objectContaining({ code: 'since', datatype: 'datetime', required: true, order: 1, description: 'Since when?' }),
      expect.objectContaining({ code: 'kind', values: [{ key: 'tap', name: 'tap' }, { key: 'pump', name: 'pump' }] }),
    ]);
  });
  it('maps statuses to open and closed and rounds coordinates to about 100 m', () => {
    expect(['submitted', 'escalated', 'resolved'].map(open311Status)).toEqual(['open', 'open', 'open']);
    expect(['closed', 'rejected'].map(open311Status)).toEqual(['closed', 'closed']);
    const r = toRequest({ trackingCode: 'T', caseStatus: 'closed', categoryCode: 'C', categoryName: 'N', department: null, submittedAt: 'a', updatedAt: 'b', resolveDueAt: null, latitude: 26.123456, longitude: 91.765432, statusNote: null });
    expect([r.status, r.lat, r.long]).toEqual(['closed', 26.123, 91.765]);
    expect(r.address).toBe('');
  });
  it('reads GET requests parameters with the default 90-day window', () => {
    const now = new Date('2026-11-21T00:00:00Z');
    const q = parseRequestQuery({ service_code: 'A,B', status: 'open' }, now);
    expect(q).toMatchObject({ serviceCodes: ['A', 'B'], status: 'open', to: now, from: new Date('2026-08-23T00:00:00Z') });
    expect(parseRequestQuery({ status: 'pending' }, now)).toEqual({ code: 400, description: 'status must be open or closed.' });
    expect(parseRequestQuery({ start_date: 'yesterday' }, now)).toMatchObject({ code: 400 });
  });
  it('writes escaped XML with the spec element names', () => {
    expect(toXml('services', 'service', [{ service_code: 'A&B', keywords: '' }])).toBe('<?xml version="1.0" encoding="utf-8"?>\n<services><service><service_code>A&amp;B</service_code><keywords/></service></services>');
    expect(toXml('service_definition', 'x', [])).toContain('<service_definition></service_definition>');
  });
});
