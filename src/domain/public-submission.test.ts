import { DomainError } from './errors';
import { DESCRIPTION_MAX, parseSubmission } from './public-submission';

const ok = { data: { project: 'DIST', category: 'DIST-WATER-SUPPLY', description: 'No water since Monday.' } };
const problems = (body: unknown) => {
  try {
    parseSubmission(body);
    return [];
  } catch (error) {
    return (error as DomainError).errors.map((e) => e.path.join('.'));
  }
};

describe('public submission', () => {
  it('accepts the minimum and fills defaults', () => {
    expect(parseSubmission(ok)).toMatchObject({ project: 'DIST', category: 'DIST-WATER-SUPPLY', language: 'en', channel: 'web', anonymous: false, citizen: null, region: null });
  });
  it('names every missing or wrong field', () => {
    expect(problems({})).toEqual(['data']);
    expect(problems({ data: {} })).toEqual(['project', 'category', 'description']);
    expect(problems({ data: { ...ok.data, description: 42, language: 'de', channel: 'walk_in', anonymous: 'yes' } })).toEqual(['description', 'language', 'channel', 'anonymous']);
  });
  it('refuses unknown fields, also nested ones, rather than ignoring them', () => {
    expect(problems({ data: { ...ok.data, caseStatus: 'closed' } })).toEqual(['caseStatus']);
    expect(problems({ data: { ...ok.data, citizen: { name: 'A', password: 'x' } } })).toEqual(['citizen.password']);
  });
  it('refuses a 100 kB description, invalid coordinates and malformed contacts', () => {
    expect(problems({ data: { ...ok.data, description: 'x'.repeat(DESCRIPTION_MAX + 1) } })).toEqual(['description']);
    expect(problems({ data: { ...ok.data, location: { lat: 91, lng: 'east' } } })).toEqual(['location.lat', 'location.lng']);
    expect(problems({ data: { ...ok.data, citizen: { phone: 'call me', email: 'not-an-email' } } })).toEqual(['citizen.phone', 'citizen.email']);
  });
  it('keeps markup as text: it is data, escaped wherever it is shown', () => {
    expect(parseSubmission({ data: { ...ok.data, description: '<script>alert(1)</script>' } }).description).toBe('<script>alert(1)</script>');
  });
  it('will not take contact details on an anonymous grievance', () => {
    expect(problems({ data: { ...ok.data, anonymous: true, citizen: { phone: '+919800000000' } } })).toEqual(['citizen']);
    expect(parseSubmission({ data: { ...ok.data, anonymous: true } }).citizen).toBeNull();
  });
});

describe('location', () => {
  it('takes coordinates, an address, or both, but not half a point', () => {
    expect(parseSubmission({ data: { ...ok.data, location: { address: 'Ward 4, near the temple' } } }).location).toEqual({ lat: null, lng: null, address: 'Ward 4, near the temple' });
    expect(problems({ data: { ...ok.data, location: { lat: 26.1 } } })).toEqual(['location.lng']);
    expect(problems({ data: { ...ok.data, location: {} } })).toEqual(['location']);
  });
});
