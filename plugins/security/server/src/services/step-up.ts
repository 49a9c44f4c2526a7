/**
 * Step-up authentication (docs/security.md). A staff member enrols an authenticator (TOTP) once;
 * before a sensitive action they confirm it is them with their password and a current code, and
 * for the next few minutes that session (not their other sessions) may take sensitive actions.
 * Every enrolment, step-up, failure and refusal is audited.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import QRCode from 'qrcode';
import { hit, underLimit } from '../../../../../src/platform/rate-limit';
import { seconds } from '../../../../../src/domain/plural';
import { AUDIT, ERROR, STEP_UP_FAILURES, StepUpPurpose, UID } from '../constants';
import { checkCode, newSecret, provisioningUri } from '../domain/totp';
import { getService } from '../../../../../src/platform/services';

export interface StaffSession {
  userId: number;
  sessionId: string;
}

/** A refusal the controller answers with its status and stable code. */
export class StepUpRefusal extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const SUPER_ADMIN = 'strapi-super-admin';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);
  const record = (action: string, userId: number, details: Record<string, unknown> = {}) =>
    getService('audit', 'capture').record({ action, entityType: 'admin-user', entityId: String(userId), details });
  const windowMs = () => Number(strapi.plugin('security').config('stepUpWindowMinutes')) * 60_000;

  /** The admin session a request is made in, from its access token (which names the session). */
  function sessionOf(ctx: any): StaffSession | null {
    const [scheme, token] = String(ctx?.request?.header?.authorization ?? '').split(/\s+/);
    const manager = (strapi as any).sessionManager;
    if (scheme?.toLowerCase() !== 'bearer' || !token || !manager?.hasOrigin?.('admin')) return null;
    const result = manager('admin').validateAccessToken(token);
    if (!result?.isValid || !result.payload?.sessionId) return null;
    return { userId: Number(result.payload.userId), sessionId: String(result.payload.sessionId) };
  }

  async function checkPassword(userId: number, password: unknown): Promise<boolean> {
    if (typeof password !== 'string' || password.length === 0 || password.length > 200) return false;
    const user = await q('admin::user').findOne({ where: { id: userId }, select: ['password', 'isActive'] });
    return Boolean(user?.isActive && user.password && (await strapi.service('admin::auth').validatePassword(password, user.password)));
  }

  async function grantFor(session: StaffSession | null, now = new Date()) {
    if (!session) return null;
    return q(UID.stepUpGrant).findOne({ where: { userId: session.userId, sessionId: session.sessionId, expiresAt: { $gt: now } }, orderBy: { expiresAt: 'desc' } });
  }

  /** Counts a failed attempt and refuses once the user has failed too often, whatever the cause. */
  async function guardAttempts(userId: number): Promise<void> {
    const answer = await underLimit(`step-up:user:${userId}`, STEP_UP_FAILURES);
    if (!answer.allowed) throw new StepUpRefusal(429, ERROR.RATE_LIMITED, `Too many failed attempts; try again in ${seconds(answer.retryAfterSeconds)}.`);
  }

  async function failAttempt(userId: number, reason: string): Promise<never> {
    await hit(`step-up:user:${userId}`, STEP_UP_FAILURES);
    await record(AUDIT.stepUpFailed, userId, { reason });
    throw new StepUpRefusal(403, ERROR.STEP_UP_FAILED, 'The password or the code is not right.');
  }

  return {
    sessionOf,

    async status(ctx: any) {
      const session = sessionOf(ctx)!;
      const factor = await q(UID.secondFactor).findOne({ where: { userId: session.userId }, select: ['confirmedAt'] });
      const grant = await grantFor(session);
      return { enrolled: Boolean(factor?.confirmedAt), enrolmentPending: Boolean(factor && !factor.confirmedAt), stepUpUntil: grant?.expiresAt ?? null };
    },

    /**
     * Starts (or restarts) enrolment: a new secret, shown once as an otpauth URI. Replacing a
     * confirmed authenticator needs a step-up with the old one, or an administrator's reset.
     */
    async enrol(ctx: any, body: { password?: unknown }) {
      const session = sessionOf(ctx)!;
      await guardAttempts(session.userId);
      if (!(await checkPassword(session.userId, body.password))) await failAttempt(session.userId, 'password');
      const existing = await q(UID.secondFactor).findOne({ where: { userId: session.userId } });
      if (existing?.confirmedAt && !(await grantFor(session))) {
        throw new StepUpRefusal(409, ERROR.ALREADY_ENROLLED, 'An authenticator is already set up; confirm with it first (step-up), or ask an administrator to reset it.');
      }
      const secret = newSecret();
      if (existing) await q(UID.secondFactor).update({ where: { id: existing.id }, data: { secret, confirmedAt: null, lastUsedStep: null } });
      else await q(UID.secondFactor).create({ data: { userId: session.userId, secret, confirmedAt: null, lastUsedStep: null } });
      const user = await q('admin::user').findOne({ where: { id: session.userId }, select: ['email'] });
      const otpauthUri = provisioningUri(secret, user.email);
      // The QR code is drawn here so the secret never goes to a third-party QR service.
      return { secret, otpauthUri, qrSvg: await QRCode.toString(otpauthUri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }) };
    },

    /** Finishes enrolment with the first code the authenticator shows. */
    async confirm(ctx: any, body: { code?: unknown }) {
      const session = sessionOf(ctx)!;
      await guardAttempts(session.userId);
      const factor = await q(UID.secondFactor).findOne({ where: { userId: session.userId } });
      if (!factor || factor.confirmedAt) throw new StepUpRefusal(409, ERROR.NOT_ENROLLED, 'Start the set-up first: no authenticator is waiting for confirmation.');
      const check = checkCode(factor.secret, body.code, Date.now(), null);
      if ('reason' in check) await failAttempt(session.userId, `code ${check.reason}`);
      const step = (check as { step: number }).step;
      await q(UID.secondFactor).update({ where: { id: factor.id }, data: { confirmedAt: new Date(), lastUsedStep: step } });
      await record(AUDIT.enrolled, session.userId);
      return { enrolled: true };
    },

    /** Password and a fresh code: this session may take sensitive actions for the next few minutes. */
    async stepUp(ctx: any, body: { password?: unknown; code?: unknown }) {
      const session = sessionOf(ctx)!;
      await guardAttempts(session.userId);
      const factor = await q(UID.secondFactor).findOne({ where: { userId: session.userId } });
      if (!factor?.confirmedAt) throw new StepUpRefusal(409, ERROR.NOT_ENROLLED, 'Set up an authenticator app first (Security page).');
      if (!(await checkPassword(session.userId, body.password))) await failAttempt(session.userId, 'password');
      const check = checkCode(factor.secret, body.code, Date.now(), factor.lastUsedStep == null ? null : Number(factor.lastUsedStep));
      if ('reason' in check) await failAttempt(session.userId, `code ${check.reason}`);
      const step = (check as { step: number }).step;
      // Conditional on the step read, so one code cannot open two grants in a race.
      const used = await strapi.db.connection(strapi.db.metadata.get(UID.secondFactor as any).tableName)
        .where({ id: factor.id })
        .where((w) => (factor.lastUsedStep == null ? w.whereNull('last_used_step') : w.where('last_used_step', factor.lastUsedStep)))
        .update({ last_used_step: step });
      if (!used) await failAttempt(session.userId, 'code replayed');
      const expiresAt = new Date(Date.now() + windowMs());
      await q(UID.stepUpGrant).deleteMany({ where: { expiresAt: { $lt: new Date() } } });
      await q(UID.stepUpGrant).create({ data: { userId: session.userId, sessionId: session.sessionId, expiresAt } });
      await record(AUDIT.steppedUp, session.userId, { until: expiresAt.toISOString() });
      return { stepUpUntil: expiresAt.toISOString() };
    },

    /**
     * Throws 403 STEP_UP_REQUIRED unless the request's session stepped up recently. Requests
     * without a staff session (the system, the sweep, seeds) are not staff actions and pass.
     */
    async require(purpose: StepUpPurpose, ctx: any = strapi.requestContext.get()) {
      if (!strapi.plugin('security').config('stepUpRequired')) return;
      if (!ctx?.request?.header?.authorization) return;
      const session = sessionOf(ctx);
      if (!session) return; // not an admin session (API token, content API): its own auth decides
      if (await grantFor(session)) return;
      const enrolled = Boolean((await q(UID.secondFactor).findOne({ where: { userId: session.userId }, select: ['confirmedAt'] }))?.confirmedAt);
      await record(AUDIT.required, session.userId, { purpose });
      // A PolicyError: Strapi's route layer replaces any other ForbiddenError with a bare "Forbidden".
      throw new errors.PolicyError(
        enrolled
          ? 'This action needs you to confirm it is you: enter your password and a code from your authenticator (Security page), then try again.'
          : 'This action needs a second factor: set up an authenticator app on the Security page, confirm it is you, then try again.',
        { code: ERROR.STEP_UP_REQUIRED, purpose, enrolled }
      );
    },

    /** A super admin removes someone's authenticator (lost phone); they enrol again. */
    async reset(ctx: any, userId: number) {
      const session = sessionOf(ctx)!;
      const actor = await q('admin::user').findOne({ where: { id: session.userId }, populate: { roles: { select: ['code'] } } });
      if (!(actor?.roles ?? []).some((r: { code: string }) => r.code === SUPER_ADMIN)) throw new StepUpRefusal(403, ERROR.NOT_ALLOWED, 'Only a super admin may reset an authenticator.');
      await this.require('second_factor_reset', ctx);
      const removed = await q(UID.secondFactor).deleteMany({ where: { userId } });
      await q(UID.stepUpGrant).deleteMany({ where: { userId } });
      await record(AUDIT.reset, userId, { by: session.userId });
      return { reset: Number(removed?.count ?? 0) > 0 };
    },
  };
};
