import { isPublicNote } from './public-note';

describe('which history notes are public', () => {
  it("shows staff's and the platform's public notes", () => {
    expect(isPublicNote({ visibility: 'public', actorType: 'staff', note: 'Pipe replaced.' })).toBe(true);
    expect(isPublicNote({ visibility: 'public', actorType: 'system', note: 'Missed the level 1 deadline: escalated automatically.' })).toBe(true);
  });

  it('never shows what a citizen wrote, even on a row marked public', () => {
    expect(isPublicNote({ visibility: 'public', actorType: 'citizen', note: 'The pipe leaks again, ask Ravi at house 12.' })).toBe(false);
    expect(isPublicNote({ visibility: 'public', actorType: 'api_token', note: 'Filed through an app.' })).toBe(false);
    expect(isPublicNote({ visibility: 'public', actorType: null, note: 'x' })).toBe(false);
  });

  it('never shows internal or empty notes', () => {
    expect(isPublicNote({ visibility: 'internal', actorType: 'staff', note: 'Suspect a neighbour.' })).toBe(false);
    expect(isPublicNote({ visibility: 'public', actorType: 'staff', note: '  ' })).toBe(false);
    expect(isPublicNote({ visibility: 'public', actorType: 'staff', note: null })).toBe(false);
  });
});
