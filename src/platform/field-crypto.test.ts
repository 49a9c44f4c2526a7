import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { KeyRingError, open, parseIndexKey, parseKeyRing, phoneIndex, seal, sealedWith } from './field-crypto';

const key = () => randomBytes(32).toString('base64');
const k1 = key();
const k2 = key();

describe('citizen data encryption', () => {
  it('seals any text so that only the ring opens it, and never the same way twice', () => {
    const ring = parseKeyRing(`k1:${k1}`);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        const sealed = seal(ring, text);
        expect(sealed.startsWith('enc:v1:k1:')).toBe(true);
        if (text.length > 3) expect(sealed).not.toContain(text);
        expect(open(ring, sealed)).toBe(text);
      })
    );
    expect(seal(ring, '+9198123456')).not.toBe(seal(ring, '+9198123456'));
  });

  it('refuses a value that was altered, relabelled to another key, or sealed under a key the ring does not hold', () => {
    const ring = parseKeyRing(`k2:${k2},k1:${k1}`);
    const sealed = seal(parseKeyRing(`k1:${k1}`), 'Sita Devi');
    expect(open(ring, sealed)).toBe('Sita Devi');

    const body = Buffer.from(sealed.slice('enc:v1:k1:'.length), 'base64');
    body[body.length - 1] ^= 1;
    expect(() => open(ring, `enc:v1:k1:${body.toString('base64')}`)).toThrow();
    // Same bytes claimed under k2: the key id is authenticated, so this fails too.
    expect(() => open(ring, sealed.replace('enc:v1:k1:', 'enc:v1:k2:'))).toThrow();
    expect(() => open(parseKeyRing(`k2:${k2}`), sealed)).toThrow(/key "k1"/);
  });

  it('passes plaintext from before encryption through, so an upgrade reads old rows until keys:rotate seals them', () => {
    const ring = parseKeyRing(`k1:${k1}`);
    expect(open(ring, 'Ramesh Yadav')).toBe('Ramesh Yadav');
    expect(sealedWith('Ramesh Yadav')).toBeNull();
    expect(sealedWith(seal(ring, 'x'))).toBe('k1');
  });

  it('seals under the first key of the ring and names what is wrong with a bad ring', () => {
    expect(sealedWith(seal(parseKeyRing(`k2:${k2},k1:${k1}`), 'x'))).toBe('k2');
    expect(() => parseKeyRing('')).toThrow(KeyRingError);
    expect(() => parseKeyRing(`k1:${randomBytes(16).toString('base64')}`)).toThrow(/32 bytes/);
    expect(() => parseKeyRing(k1)).toThrow(/id/);
    expect(() => parseKeyRing(`k1:${k1},k1:${k2}`)).toThrow(/twice/);
    expect(() => parseIndexKey('c2hvcnQ=')).toThrow(/CITIZEN_INDEX_KEY/);
  });

  it('indexes a phone number the same however it is typed, differently for another number or key', () => {
    const indexKey = parseIndexKey(key());
    const same = ['+91 98123 45678', '+91-98123-45678', '098123 45678', '(981) 234-5678', '919812345678'].map((p) => phoneIndex(indexKey, p));
    expect(new Set(same).size).toBe(1);
    expect(same[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(phoneIndex(indexKey, '+91 98123 45679')).not.toBe(same[0]);
    expect(phoneIndex(parseIndexKey(key()), '+91 98123 45678')).not.toBe(same[0]);
    expect(phoneIndex(indexKey, '12-34')).toBeNull();
    expect(phoneIndex(indexKey, null)).toBeNull();
  });
});
