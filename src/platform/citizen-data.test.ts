import { randomBytes } from 'node:crypto';
import { rewritePhoneFilters } from './citizen-data';
import { phoneIndex } from './field-crypto';

const indexKey = randomBytes(32);

describe('search by phone through the blind index', () => {
  it('turns a phone filter anywhere in the tree into equality on the index, and leaves dates and other filters alone', () => {
    const now = new Date();
    const where = { $and: [{ caseStatus: { $in: ['submitted'] } }, { citizenPhone: { $containsi: '98765 43210' } }, { slaCheckAt: { $lte: now } }] };
    expect(rewritePhoneFilters(indexKey, where)).toEqual({
      $and: [{ caseStatus: { $in: ['submitted'] } }, { citizenPhoneIndex: { $eq: phoneIndex(indexKey, '+919876543210') } }, { slaCheckAt: { $lte: now } }],
    });
    expect((rewritePhoneFilters(indexKey, where) as any).$and[2].slaCheckAt.$lte).toBe(now);
    expect(rewritePhoneFilters(indexKey, { citizenPhone: '098765 43210' })).toEqual({ citizenPhoneIndex: { $eq: phoneIndex(indexKey, '9876543210') } });
  });

  it('matches nothing for a number too short to index, and keeps emptiness filters on the sealed column', () => {
    expect(rewritePhoneFilters(indexKey, { citizenPhone: { $eq: '12' } })).toEqual({ citizenPhoneIndex: { $eq: '-' } });
    expect(rewritePhoneFilters(indexKey, { citizenPhone: { $null: true } })).toEqual({ citizenPhone: { $null: true } });
  });
});
