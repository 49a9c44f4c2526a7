import { attachmentDisposition, exceedsPixelLimit, signFileLink, verifyFileLink } from './file-links';

const SECRET = 'test-secret';
const now = Date.UTC(2026, 0, 1);

describe('signed file links', () => {
  it('grants the file until the expiry, not after', () => {
    const token = signFileLink(SECRET, 42, now + 60_000);
    expect(verifyFileLink(SECRET, token, now)).toBe(42);
    expect(verifyFileLink(SECRET, token, now + 60_000)).toBeNull();
  });

  it('refuses another file id, a later expiry, another secret and junk', () => {
    const token = signFileLink(SECRET, 42, now + 60_000);
    const [, expiry, sig] = token.split('.');
    expect(verifyFileLink(SECRET, `43.${expiry}.${sig}`, now)).toBeNull();
    expect(verifyFileLink(SECRET, `42.${Number(expiry) + 1}.${sig}`, now)).toBeNull();
    expect(verifyFileLink('other', token, now)).toBeNull();
    for (const junk of ['', '42', `42.${expiry}`, `42.${expiry}.${sig}x`, `042.${expiry}.${sig}`, `-1.${expiry}.${sig}`, `42.${expiry}.${sig.replace(/./, '+')}`]) {
      expect(verifyFileLink(SECRET, junk, now)).toBeNull();
    }
  });
});

describe('attachmentDisposition', () => {
  it('always downloads, with a harmless quoted name and the real one encoded', () => {
    expect(attachmentDisposition('pipe.png')).toBe(`attachment; filename="pipe.png"; filename*=UTF-8''pipe.png`);
    expect(attachmentDisposition('a"; filename=evil.html\r\n.png')).toBe(`attachment; filename="a; filename=evil.html.png"; filename*=UTF-8''a%3B%20filename%3Devil.html.png`);
    expect(attachmentDisposition('../../etc/passwd')).toMatch(/^attachment; filename="\.\.\.\.etcpasswd"/);
    expect(attachmentDisposition('शिकायत.pdf')).toBe(`attachment; filename="______.pdf"; filename*=UTF-8''${encodeURIComponent('शिकायत.pdf')}`);
    expect(attachmentDisposition(null)).toMatch(/filename="file"/);
  });
});

describe('exceedsPixelLimit', () => {
  it('compares width × height with the limit', () => {
    expect(exceedsPixelLimit({ width: 100_000, height: 100_000 }, 40_000_000)).toBe(true);
    expect(exceedsPixelLimit({ width: 8000, height: 5000 }, 40_000_000)).toBe(false);
    expect(exceedsPixelLimit({ width: 8001, height: 5000 }, 40_000_000)).toBe(true);
    expect(exceedsPixelLimit({}, 40_000_000)).toBe(false);
  });
});
