import { answerOf, isSignInGuess, isWellFormedCaseSecret, pauseSeconds, signInOutcome } from './attempt-limits';

const rules = { slowdownAfter: 3, maxPauseSeconds: 60 };

describe('pauseSeconds', () => {
  it('asks no pause below the threshold, then doubles up to the cap', () => {
    expect([0, 1, 2].map((n) => pauseSeconds(n, rules))).toEqual([0, 0, 0]);
    expect([3, 4, 5, 8, 9, 10, 1_000].map((n) => pauseSeconds(n, rules))).toEqual([1, 2, 4, 32, 60, 60, 60]);
  });
  it('never pauses longer than failures are remembered', () => {
    expect(pauseSeconds(100, { slowdownAfter: 0, maxPauseSeconds: 86_400 })).toBe(3_600);
  });
  it('never pauses when the cap is 0', () => {
    expect(pauseSeconds(100, { slowdownAfter: 0, maxPauseSeconds: 0 })).toBe(0);
  });
});

describe('signInOutcome', () => {
  const outcome = (error: unknown, status: number, body: unknown, guess = true) => signInOutcome(answerOf(error, status, body), guess);
  it('counts a wrong password, thrown or answered', () => {
    expect(outcome(Object.assign(new Error('Invalid credentials'), { name: 'ApplicationError' }), 404, null)).toBe('failed');
    expect(outcome(null, 400, { error: { name: 'ApplicationError' } })).toBe('failed');
    expect(outcome(null, 401, { error: { name: 'UnauthorizedError' } })).toBe('failed');
    expect(outcome(null, 403, { error: { name: 'ForbiddenError' } })).toBe('failed');
  });
  it('does not count a malformed request, a 429 or a server error', () => {
    expect(outcome(Object.assign(new Error('Missing credentials'), { name: 'ApplicationError' }), 404, null, false)).toBe('not_counted');
    expect(outcome(Object.assign(new Error('email must be a valid email'), { name: 'ValidationError' }), 404, null)).toBe('not_counted');
    expect(outcome(null, 400, { error: { name: 'ValidationError' } })).toBe('not_counted');
    expect(outcome(Object.assign(new Error('Too many'), { name: 'RateLimitError' }), 404, null)).toBe('not_counted');
    expect(outcome(null, 429, { error: { name: 'RateLimitError' } })).toBe('not_counted');
    expect(outcome(new Error('database down'), 404, null)).toBe('not_counted');
    expect(outcome(null, 503, null)).toBe('not_counted');
  });
  it('calls a sign-in successful only when it hands out a session', () => {
    expect(outcome(null, 200, { data: { token: 'x', user: {} } })).toBe('succeeded');
    expect(outcome(null, 200, { jwt: 'x', user: {} })).toBe('succeeded');
    // A password-reset e-mail request answers 204 to anyone: it proves nothing.
    expect(outcome(null, 204, null)).toBe('not_counted');
    expect(outcome(null, 200, { ok: true })).toBe('not_counted');
  });
});

describe('isSignInGuess', () => {
  it('takes a credential with an e-mail or a user name', () => {
    expect(isSignInGuess({ email: 'head.water@demo.local', password: 'x' })).toBe(true);
    expect(isSignInGuess({ email: ' HEAD.WATER@demo.local ', password: 'x' })).toBe(true);
    expect(isSignInGuess({ identifier: 'ravi', password: 'x' })).toBe(true);
    expect(isSignInGuess({ code: 'reset-code', password: 'x', passwordConfirmation: 'x' })).toBe(true);
    expect(isSignInGuess({ registrationToken: 't', userInfo: {} })).toBe(true);
  });
  it('leaves out requests that cannot get anyone in', () => {
    for (const body of [
      null, 'text', [], {},
      { email: 'head.water@demo.local' },
      { email: 'head.water@demo.local', password: '' },
      { email: 'head.water@demo.local', password: 42 },
      { email: 'head.water@demo.local', password: 'x'.repeat(2_000) },
      { email: 'not-an-e-mail', password: 'x' },
      { email: ['head.water@demo.local'], password: 'x' },
      { identifier: '  ', password: 'x' },
    ]) expect([body, isSignInGuess(body)]).toEqual([body, false]);
  });
});

describe('isWellFormedCaseSecret', () => {
  it('accepts only the shape the platform issues', () => {
    expect(isWellFormedCaseSecret('Ab3_-xYz0123456789abcdEF')).toBe(true);
    for (const junk of ['', 'guess-number-1', 'Ab3_-xYz0123456789abcdE', 'Ab3_-xYz0123456789abcdEFG', 'Ab3_-xYz01234567 9abcdEF', 'Ab3+/xYz0123456789abcdEF', 42, null]) {
      expect(isWellFormedCaseSecret(junk)).toBe(false);
    }
  });
});

describe('an error thrown instead of a sign-in answer', () => {
  it('is a 500 when it has neither a status nor a name Strapi maps, an empty name included', () => {
    expect(answerOf({ name: '' }, 200, null).status).toBe(500);
    expect(answerOf({}, 200, null).status).toBe(500);
    expect(answerOf({ status: 429, name: '' }, 200, null).status).toBe(429);
  });
});
