/** Step-up for test accounts (docs/security.md): enrol an authenticator once, then confirm it is them in the current session. */
import { codeAt } from '../../plugins/security/server/src/domain/totp';
import { DEMO_PASSWORD, TestApp } from './app';

const PERIOD_MS = 30_000;
const enrolled = new WeakMap<TestApp, Map<string, { secret: string; lastStep: number }>>();

/**
 * The next code the account's authenticator would accept: each code is good once, so this is
 * a later time step than the last one used, waiting for the clock when the next step is too far ahead.
 */
export async function nextCode(app: TestApp, email: string): Promise<string> {
  const entry = enrolled.get(app)!.get(email)!;
  const now = Math.floor(Date.now() / PERIOD_MS);
  const step = Math.max(now, entry.lastStep + 1);
  // The server accepts one step ahead of its clock.
  if (step > now + 1) await new Promise((resolve) => setTimeout(resolve, (step - 1) * PERIOD_MS - Date.now() + 50));
  entry.lastStep = step;
  return codeAt(entry.secret, step * PERIOD_MS);
}

/** Enrols the account's authenticator (once per app) and steps up the session `tokenFor` uses, unless it already is. */
export async function stepUp(app: TestApp, email: string, password = DEMO_PASSWORD): Promise<void> {
  const token = await app.tokenFor(email);
  const status = await app.http().get('/security/second-factor').set('Authorization', `Bearer ${token}`);
  if (status.body.data?.stepUpUntil) return;
  if (!enrolled.has(app)) enrolled.set(app, new Map());
  const known = enrolled.get(app)!;
  if (!known.has(email)) {
    const enrol = await app.http().post('/security/second-factor').set('Authorization', `Bearer ${token}`).send({ password });
    if (enrol.status !== 200) throw new Error(`enrol ${email}: ${enrol.status} ${JSON.stringify(enrol.body)}`);
    known.set(email, { secret: enrol.body.data.secret, lastStep: 0 });
    const confirm = await app.http().post('/security/second-factor/confirm').set('Authorization', `Bearer ${token}`).send({ code: await nextCode(app, email) });
    if (confirm.status !== 200) throw new Error(`confirm ${email}: ${confirm.status} ${JSON.stringify(confirm.body)}`);
  }
  const res = await app.http().post('/security/step-up').set('Authorization', `Bearer ${token}`).send({ password, code: await nextCode(app, email) });
  if (res.status !== 200) throw new Error(`step-up ${email}: ${res.status} ${JSON.stringify(res.body)}`);
}
