import { bodyTypeAllowed, misshapenFilters, misshapenQuery, unstorableIn, unstorableText } from './request-shape';

describe('filters made of conditions', () => {
  it('accepts conditions on attributes, relations and operators with values', () => {
    for (const filters of [
      { code: 'x' }, { code: { $eq: 'x' } }, { code: { $in: ['a', 'b'] } }, { code: ['a', 'b'] }, { project: { code: { $eq: 'DIST' } } },
      { $or: [{ code: 'a' }, { code: { $ne: 'b' } }] }, { $and: { 0: { code: 'a' } } }, { $not: { code: 'x' } }, { code: { $null: true } },
      [{ code: 'a' }], undefined, 'x',
    ]) expect(misshapenFilters(filters)).toBeNull();
  });
  it('names the first part that is not a condition', () => {
    expect(misshapenFilters({ $not: '1' })).toBe('filters[$not]');
    expect(misshapenFilters({ $NOT: '1' })).toBe('filters[$NOT]');
    expect(misshapenFilters({ $or: '1' })).toBe('filters[$or]');
    expect(misshapenFilters({ $and: ['1'] })).toBe('filters[$and][0]');
    expect(misshapenFilters({ code: { $eq: { $ne: 'x' } } })).toBe('filters[code][$eq]');
    expect(misshapenFilters({ code: { $in: [{ $ne: 'x' }] } })).toBe('filters[code][$in]');
    expect(misshapenFilters({ code: [{ $eq: 'x' }] })).toBe('filters[code]');
    expect(misshapenFilters({ $or: [{ $not: { code: { $eq: { $eq: 'x' } } } }] })).toBe('filters[$or][0][$not][code][$eq]');
    expect(misshapenFilters(['1'])).toBe('filters[0]');
  });
  it('takes of each comparison only the operand its operator takes', () => {
    for (const filters of [{ code: { $between: ['a', 'b'] } }, { id: { $in: '1' } }, { id: { $notIn: ['1', '2', '3'] } }, { code: { $startsWith: 'D' } }, { code: { $eq: null } }]) {
      expect(misshapenFilters(filters)).toBeNull();
    }
    // Strapi hands these to knex as they are: whereBetween with one value or three, LIKE on a list.
    expect(misshapenFilters({ code: { $between: '1' } })).toBe('filters[code][$between]');
    expect(misshapenFilters({ id: { $between: ['1'] } })).toBe('filters[id][$between]');
    expect(misshapenFilters({ id: { $between: ['1', '2', '3'] } })).toBe('filters[id][$between]');
    expect(misshapenFilters({ project: { code: { $between: 'x' } } })).toBe('filters[project][code][$between]');
    for (const operator of ['$eq', '$ne', '$gt', '$lte', '$startsWith', '$containsi', '$null']) {
      expect(misshapenFilters({ code: { [operator]: ['a', 'b'] } })).toBe(`filters[code][${operator}]`);
    }
    expect(misshapenQuery({ populate: { project: { filters: { code: { $between: 'x' } } } } })).toBe('populate[project][filters][code][$between]');
  });
  it('finds filters inside populate', () => {
    expect(misshapenQuery({ populate: { project: { filters: { $not: '1' } } } })).toBe('populate[project][filters][$not]');
    expect(misshapenQuery({ populate: { project: { filters: { code: 'x' } } }, filters: { code: 'x' } })).toBeNull();
  });
});

describe('text a database can store', () => {
  it('refuses NUL and lone surrogates, keeps well-formed text', () => {
    for (const bad of ['a\u0000b', '\uD800', 'x\uDFFF', '\uDC00\uD800']) expect(unstorableText(bad)).toBe(true);
    for (const good of ['', 'plain', '𝕏', 'हिन्दी', 'e\u0301', '\uFFFF']) expect(unstorableText(good)).toBe(false);
  });
  it('looks through keys and values, and not into files', () => {
    expect(unstorableIn({ data: { citizen: { name: 'A\u0000' } } }, 'body')).toBe('body[data][citizen][name]');
    expect(unstorableIn({ data: { ['k\u0000']: 1 } }, 'body')).toBe('body[data][k\u0000]');
    expect(unstorableIn({ list: ['ok', '\uD800'] }, 'query')).toBe('query[list][1]');
    expect(unstorableIn({ file: Buffer.from([0, 0, 0]) }, 'body')).toBeNull();
    expect(unstorableIn({ data: { description: 'ok' } }, 'body')).toBeNull();
  });
});

describe('body types of content-API writes', () => {
  const write = (path: string, type: string, hasBody = true, method = 'POST') => bodyTypeAllowed({ prefix: '/api', path, method, type, hasBody });
  it('takes JSON everywhere and no body at all', () => {
    expect(write('/api/grievances/submit', 'application/json')).toBe(true);
    expect(write('/api/grievances/submit', 'application/vnd.api+json')).toBe(true);
    expect(write('/api/grievances/track/X/accept', '', false)).toBe(true);
  });
  it('refuses forms, multipart and text on public writes, whatever the spelling of the path', () => {
    for (const path of ['/api/grievances/submit', '/API/Grievances/Submit/', '/api/intake/chat', '/api/grievances/track/X/appeal']) {
      for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']) expect(write(path, type)).toBe(false);
    }
    expect(write('/api/grievances/submit', '', true)).toBe(false);
  });
  it('keeps the listed exceptions, and leaves reads and other prefixes alone', () => {
    expect(write('/api/grievances/attachments', 'multipart/form-data')).toBe(true);
    expect(write('/api/grievances/attachments', 'application/x-www-form-urlencoded')).toBe(false);
    expect(write('/api/open311/v2/requests.json', 'application/x-www-form-urlencoded')).toBe(true);
    expect(write('/api/intake/sms', 'application/x-www-form-urlencoded')).toBe(true);
    expect(write('/api/intake/sms', 'multipart/form-data')).toBe(false);
    expect(write('/api/grievances/submit', 'text/plain', true, 'GET')).toBe(true);
    expect(write('/upload', 'multipart/form-data')).toBe(true);
  });
});
