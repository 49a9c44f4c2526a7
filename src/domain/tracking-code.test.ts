import {
  CROCKFORD_ALPHABET,
  checkCharacter,
  dateStamp,
  generateTrackingCode,
  normaliseTrackingCode,
  TRACKING_CODE_PATTERN,
} from './tracking-code';

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

describe('tracking codes', () => {
  const at = new Date('2026-03-31T20:30:00Z');

  it('has the project code, the local date, eight Crockford characters and a check character', () => {
    const code = generateTrackingCode('DIST', at, 'UTC');
    expect(code).toMatch(TRACKING_CODE_PATTERN);
    expect(code.startsWith('DIST-20260331-')).toBe(true);
    const random = code.split('-')[2].slice(0, 8);
    for (const ch of random) expect(CROCKFORD_ALPHABET).toContain(ch);
    expect(normaliseTrackingCode(code)).toBe(code);
  });

  it('uses the project time zone for the date', () => {
    expect(dateStamp(at, 'Asia/Kolkata')).toBe('20260401');
    expect(dateStamp(at, 'America/New_York')).toBe('20260331');
  });

  it('accepts lower case and surrounding spaces as typed by a citizen', () => {
    const code = generateTrackingCode('ROAD', at, 'UTC');
    expect(normaliseTrackingCode(`  ${code.toLowerCase()} `)).toBe(code);
  });

  it('catches every single-character substitution', () => {
    for (let n = 0; n < 30; n += 1) {
      const code = generateTrackingCode('PIU7', new Date(at.getTime() + n * 86_400_000), 'UTC');
      for (let i = 0; i < code.length; i += 1) {
        if (code[i] === '-') continue;
        for (const ch of ALNUM) {
          if (ch === code[i]) continue;
          const typo = code.slice(0, i) + ch + code.slice(i + 1);
          expect(normaliseTrackingCode(typo)).toBeNull();
        }
      }
    }
  });

  it('catches nearly every swap of neighbouring characters', () => {
    // MOD 37,36 guarantees single substitutions; swaps are caught about 99 % of the time.
    // A fixed random source keeps this measurement the same on every run.
    let state = 42;
    const random = (max: number) => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % max;
    };
    let swaps = 0;
    let caught = 0;
    for (let n = 0; n < 500; n += 1) {
      const code = generateTrackingCode('DIST', new Date(at.getTime() + n * 86_400_000), 'UTC', random);
      const chars = code.replace(/-/g, '');
      for (let i = 0; i + 1 < chars.length; i += 1) {
        if (chars[i] === chars[i + 1]) continue;
        const swapped = chars.slice(0, i) + chars[i + 1] + chars[i] + chars.slice(i + 2);
        swaps += 1;
        if (normaliseTrackingCode(`${swapped.slice(0, 4)}-${swapped.slice(4, 12)}-${swapped.slice(12)}`) === null) caught += 1;
      }
    }
    expect(caught / swaps).toBeGreaterThan(0.98);
  });

  it('rejects malformed input', () => {
    expect(normaliseTrackingCode('')).toBeNull();
    expect(normaliseTrackingCode('DIST-2026-ABC')).toBeNull();
    // I, L, O and U are not Crockford symbols, so they never appear in the random part.
    const body = 'DIST-20260331-ABCDEFGI';
    expect(normaliseTrackingCode(body + checkCharacter(body))).toBeNull();
  });

  it('draws random characters from the whole alphabet', () => {
    let i = 0;
    const code = generateTrackingCode('DIST', at, 'UTC', () => 31 - (i++ % 32));
    expect(code.split('-')[2].slice(0, 8)).toBe('ZYXWVTSR');
  });
});
