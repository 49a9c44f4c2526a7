import { readToOne } from './relation-input';

describe('readToOne', () => {
  it('reads the shapes the content manager and the document service send', () => {
    expect(readToOne(undefined)).toEqual({ kind: 'unchanged' });
    expect(readToOne(null)).toEqual({ kind: 'cleared' });
    expect(readToOne('abc123')).toEqual({ kind: 'set', ref: { documentId: 'abc123' } });
    expect(readToOne(7)).toEqual({ kind: 'set', ref: { id: 7 } });
    expect(readToOne({ documentId: 'abc' })).toEqual({ kind: 'set', ref: { documentId: 'abc' } });
    expect(readToOne({ connect: [{ id: 3, documentId: 'x', locale: 'en' }], disconnect: [] })).toEqual({ kind: 'set', ref: { documentId: 'x' } });
    expect(readToOne({ connect: [], disconnect: [] })).toEqual({ kind: 'unchanged' });
    expect(readToOne({ connect: [], disconnect: [{ id: 3 }] })).toEqual({ kind: 'cleared' });
    expect(readToOne({ set: [] })).toEqual({ kind: 'cleared' });
    expect(readToOne({ set: [{ id: 9 }] })).toEqual({ kind: 'set', ref: { id: 9 } });
    expect(readToOne([])).toEqual({ kind: 'cleared' });
  });
});
