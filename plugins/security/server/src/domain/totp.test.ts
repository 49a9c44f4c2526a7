import { checkCode, codeAt, newSecret, provisioningUri } from './totp';

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);

describe('TOTP second factor', () => {
  it('accepts the current code and one step either side of a slow or fast phone clock, nothing further', () => {
    const secret = newSecret();
    expect(checkCode(secret, codeAt(secret, T0), T0, null)).toEqual({ ok: true, step: T0 / 30_000 });
    expect(checkCode(secret, codeAt(secret, T0 - 30_000), T0, null)).toMatchObject({ ok: true });
    expect(checkCode(secret, codeAt(secret, T0 + 30_000), T0, null)).toMatchObject({ ok: true });
    expect(checkCode(secret, codeAt(secret, T0 + 90_000), T0, null)).toEqual({ ok: false, reason: 'wrong' });
    expect(checkCode(newSecret(), codeAt(secret, T0), T0, null)).toEqual({ ok: false, reason: 'wrong' });
  });

  it('refuses a code used before, or an older one, so a code seen over a shoulder cannot be replayed', () => {
    const secret = newSecret();
    const first = checkCode(secret, codeAt(secret, T0), T0, null);
    expect(first.ok).toBe(true);
    const step = (first as { step: number }).step;
    expect(checkCode(secret, codeAt(secret, T0), T0 + 5_000, step)).toEqual({ ok: false, reason: 'replayed' });
    expect(checkCode(secret, codeAt(secret, T0 - 30_000), T0, step)).toEqual({ ok: false, reason: 'replayed' });
    expect(checkCode(secret, codeAt(secret, T0 + 30_000), T0 + 30_000, step)).toMatchObject({ ok: true });
  });

  it('refuses anything that is not six digits without checking it', () => {
    const secret = newSecret();
    for (const code of [undefined, 123456, '12345', '1234567', 'abcdef', '']) expect(checkCode(secret, code, T0, null)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('gives authenticator apps a standard otpauth URI with the issuer and the account', () => {
    const secret = newSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(provisioningUri(secret, 'head.water@demo.local'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('GRM');
    expect(decodeURIComponent(uri.pathname)).toContain('head.water@demo.local');
  });
});
