import { seal, unseal } from './sealing';

describe('sealing', () => {
  beforeAll(() => {
    process.env.ENCRYPTION_KEY = 'test-key-for-sealing';
  });
  it('round-trips, and the sealed text does not show the secret', () => {
    const sealed = seal('{"caseSecret":"abc123"}', 'idempotency');
    expect(sealed).not.toContain('abc123');
    expect(unseal(sealed, 'idempotency')).toBe('{"caseSecret":"abc123"}');
  });
  it('refuses a tampered or mis-purposed text', () => {
    const sealed = seal('x', 'idempotency');
    expect(() => unseal(sealed, 'other')).toThrow();
    const parts = sealed.split('.');
    // One bit of the ciphertext flipped (a fixed replacement equals the real one 1 time in 256).
    const body = Buffer.from(parts[3], 'base64url');
    body[0] ^= 1;
    parts[3] = body.toString('base64url');
    expect(() => unseal(parts.join('.'), 'idempotency')).toThrow();
  });
});
