import { Candidate, pickFocalPerson, regionAtDepth } from './routing';

describe('region at a level', () => {
  const chain = [
    { documentId: 'ward', level: 4 },
    { documentId: 'block', level: 3 },
    { documentId: 'district', level: 2 },
    { documentId: 'state', level: 1 },
  ];
  it('moves the case up to the ancestor at the level region depth', () => {
    expect(regionAtDepth(chain, 2)?.documentId).toBe('district');
    expect(regionAtDepth(chain, 1)?.documentId).toBe('state');
  });
  it('never moves a case down, and keeps it where the tree has no such depth', () => {
    expect(regionAtDepth(chain.slice(2), 3)?.documentId).toBe('district');
    expect(regionAtDepth([chain[0], chain[3]], 2)?.documentId).toBe('ward');
    expect(regionAtDepth(chain, null)?.documentId).toBe('ward');
    expect(regionAtDepth([], 2)).toBeNull();
  });
});

describe('focal person', () => {
  const c = (profileId: number, departments: string[], regions: string[]): Candidate => ({ profileId, userId: profileId * 10, departments, regions });
  const chain = ['district', 'state'];
  it('prefers the exact region and the named department', () => {
    const picked = pickFocalPerson([c(1, [], []), c(2, ['water'], ['state']), c(3, ['water'], ['district']), c(4, [], ['district'])], 'water', chain);
    expect(picked?.profileId).toBe(3);
  });
  it('skips profiles of another department or another region', () => {
    expect(pickFocalPerson([c(1, ['roads'], []), c(2, [], ['other-district'])], 'water', chain)).toBeNull();
  });
  it('falls back to a project-wide profile, and breaks ties by the oldest profile', () => {
    expect(pickFocalPerson([c(7, [], []), c(5, [], [])], 'water', chain)?.profileId).toBe(5);
  });
});
