/**
 * Public (no login) routes of a case (docs/public-api.md): submit and track. Thin: parse, limit,
 * call the submission service, shape the answer. Errors carry a stable `details.code`.
 */
import type { Core } from '@strapi/strapi';
import { AttachmentRefusal, CitizenRefusal, DomainError, ERROR_CODES } from '../../../domain/errors';
import { parseSubmission } from '../../../domain/public-submission';
import { CitizenAction, CitizenActionName, parseCitizenAction } from '../../../domain/citizen-action';
import { AttemptRules, isWellFormedCaseSecret } from '../../../domain/attempt-limits';
import { attemptAllowed, recordFailure } from '../../../platform/attempt-limits';
import { INTAKE_CHANNELS, IntakeChannel, parseInbound, SIGNATURE_HEADER, signatureValid, signedPayload, TIMESTAMP_HEADER, TIMESTAMPED, timestampFresh } from '../../../domain/channel-intake';
import type { ChannelSettings } from '../../../../plugins/cases/server/src/services/channel-intake';

const UNPARSED = Symbol.for('unparsedBody');
import { normaliseTrackingCode, TRACKING_CODE_PATTERN } from '../../../domain/tracking-code';
import * as idempotency from '../../../platform/idempotency';
import { clientKey, hit } from '../../../platform/rate-limit';
import { failWith as fail } from '../../../platform/http-error';
import { fileOfLink, sendStoredFile } from '../../../platform/stored-files';
import { seconds } from '../../../domain/plural';
import { getService } from '../../../platform/services';


export default ({ strapi }: { strapi: Core.Strapi }) => {
  const limits = () => strapi.config.get('api.publicLimits') as Record<string, { limit: number; windowMs: number }>;
  const service = () => getService('cases', 'submission');

  /** Refuses query parameters a route does not take (`populate`, `filters` ...), as the content API does. */
  function unknownParams(ctx: any, allowed: string[]): boolean {
    const unknown = Object.keys(ctx.query ?? {}).filter((k) => !allowed.includes(k));
    if (unknown.length === 0) return false;
    fail(ctx, 400, ERROR_CODES.VALIDATION, `Unknown parameter: ${unknown.join(', ')}.${allowed.length ? ` Use ${allowed.join(', ')}.` : ''}`);
    return true;
  }

  /** Counts the request against the client's limit; answers 429 with Retry-After when over. */
  async function limited(ctx: any, name: string): Promise<boolean> {
    const rule = limits()[name];
    const answer = await hit(`${name}:${clientKey(ctx.request.ip)}`, rule);
    if (answer.allowed) return false;
    ctx.set('Retry-After', String(answer.retryAfterSeconds));
    fail(ctx, 429, ERROR_CODES.RATE_LIMITED, `Too many requests; try again in ${seconds(answer.retryAfterSeconds)}.`);
    return true;
  }

  /**
   * The door of every route that takes a case secret: a valid code and the client's request
   * limit. The code, or null when the answer has been given.
   */
  async function guardCase(ctx: any): Promise<string | null> {
    const code = normaliseTrackingCode(String(ctx.params.trackingCode ?? ''));
    if (!code) {
      fail(ctx, 400, 'INVALID_TRACKING_CODE', 'This is not a valid tracking code.');
      return null;
    }
    if (await limited(ctx, 'citizenAction')) return null;
    return code;
  }

  /**
   * Runs `run` (which checks the secret) under the limits on wrong secrets (docs/security.md,
   * "Citizen actions"): they hold per case and address together and only slow other addresses
   * down, so junk sent by someone else never shuts the citizen out. A secret that cannot be a
   * case secret is no guess and is not counted. Undefined when the answer has been given.
   */
  async function withSecret<T>(ctx: any, code: string, secret: string, run: () => Promise<T>): Promise<T | undefined> {
    const subject = `case:${code}`;
    const client = clientKey(ctx.request.ip);
    const rules = strapi.config.get('api.caseSecretLimits') as AttemptRules;
    const counted = isWellFormedCaseSecret(secret);
    if (counted) {
      const answer = await attemptAllowed(subject, client, rules);
      if (!answer.allowed) {
        ctx.set('Retry-After', String(answer.retryAfterSeconds));
        fail(ctx, 429, ERROR_CODES.RATE_LIMITED, `Too many wrong secrets for this case; try again in ${seconds(answer.retryAfterSeconds)}.`);
        return undefined;
      }
    }
    try {
      return await run();
    } catch (error) {
      if (error instanceof CitizenRefusal) {
        if (counted && error.wrongSecret) await recordFailure(subject, client, rules);
        fail(ctx, error.status, error.code, error.message);
        return undefined;
      }
      throw error;
    }
  }

  /** A citizen action: guarded, parsed, then checked. */
  async function act(ctx: any, action: CitizenActionName) {
    if (unknownParams(ctx, [])) return;
    const code = await guardCase(ctx);
    if (!code) return;
    let input: CitizenAction;
    try {
      input = parseCitizenAction(action, ctx.request.body);
    } catch (error) {
      if (error instanceof DomainError) return fail(ctx, 400, error.code, error.message, error.errors);
      throw error;
    }
    const result = await withSecret(ctx, code, input.caseSecret, () => service().act(code, action, input));
    if (result !== undefined) ctx.body = { data: result };
  }

  return {
    async submit(ctx: any) {
      if (unknownParams(ctx, [])) return;
      if (await limited(ctx, 'submit')) return;
      let submission;
      try {
        submission = parseSubmission(ctx.request.body);
      } catch (error) {
        if (error instanceof DomainError) return fail(ctx, 400, error.code, error.message, error.errors);
        throw error;
      }
      const key = ctx.get('Idempotency-Key') || null;
      if (key) {
        if (!idempotency.isValidKey(key)) return fail(ctx, 400, ERROR_CODES.VALIDATION, 'Idempotency-Key must be 1 to 200 printable characters.');
        const claim = await idempotency.claim('submit', key, idempotency.requestHash(ctx.request.body));
        if (claim.kind === 'mismatch') return fail(ctx, 422, ERROR_CODES.IDEMPOTENCY_MISMATCH, 'This Idempotency-Key was used with a different request.');
        if (claim.kind === 'in_flight') return fail(ctx, 409, 'IDEMPOTENCY_IN_FLIGHT', 'A request with this Idempotency-Key is still being processed; retry shortly.');
        if (claim.kind === 'replay') {
          ctx.status = claim.status;
          ctx.set('Idempotent-Replayed', 'true');
          ctx.body = claim.body;
          return;
        }
      }
      try {
        ctx.status = 201;
        ctx.body = await service().submit(submission, key);
      } catch (error: any) {
        if (key) await idempotency.release('submit', key);
        if (error instanceof DomainError) return fail(ctx, 400, error.code, error.message, error.errors);
        throw error;
      }
    },

    feedback: (ctx: any) => act(ctx, 'feedback'),
    accept: (ctx: any) => act(ctx, 'accept'),
    appeal: (ctx: any) => act(ctx, 'appeal'),

    /**
     * `POST /api/grievances/track/:code/attachments` { data: { caseSecret } }: signed links to the
     * case's attachments that expire (the secret travels in the body, never in a URL).
     */
    async attachmentLinks(ctx: any) {
      if (unknownParams(ctx, [])) return;
      const code = await guardCase(ctx);
      if (!code) return;
      let input;
      try {
        input = parseCitizenAction('attachments', ctx.request.body);
      } catch (error) {
        if (error instanceof DomainError) return fail(ctx, 400, error.code, error.message, error.errors);
        throw error;
      }
      const links = await withSecret(ctx, code, input.caseSecret, () => service().attachmentLinks(code, input.caseSecret));
      if (links === undefined) return;
      ctx.set('Cache-Control', 'private, no-store');
      ctx.body = { data: links };
    },

    /** `GET /api/files/:token`: the file a signed link grants, as a download, until it expires. */
    async file(ctx: any) {
      if (unknownParams(ctx, [])) return;
      if (await limited(ctx, 'track')) return;
      const file = await fileOfLink(String(ctx.params.token ?? ''));
      if (!file) return fail(ctx, 404, ERROR_CODES.NOT_FOUND, 'This download link is unknown or has expired; ask for a new one.');
      await sendStoredFile(ctx, file);
    },

    /** Photos, PDFs and voice notes for a complaint about to be filed (multipart, field `files`). */
    async attachments(ctx: any) {
      if (unknownParams(ctx, [])) return;
      if (await limited(ctx, 'submit')) return;
      const raw = ctx.request.files?.files;
      const files = raw ? (Array.isArray(raw) ? raw : [raw]) : [];
      try {
        ctx.status = 201;
        ctx.body = { data: await getService('cases', 'attachments').upload(files, strapi.config.get('api.attachments')) };
      } catch (error) {
        if (error instanceof AttachmentRefusal) return fail(ctx, error.status, error.code, error.message);
        throw error;
      }
    },

    /**
     * The receipt PDF for the holder of the case secret, asked for with the secret in the body
     * (`{ data: { caseSecret } }`): a URL with a secret would be kept by browsers, proxies and logs.
     */
    async receipt(ctx: any) {
      if (unknownParams(ctx, [])) return;
      const code = await guardCase(ctx);
      if (!code) return;
      let input;
      try {
        input = parseCitizenAction('receipt', ctx.request.body);
      } catch (error) {
        if (error instanceof DomainError) return fail(ctx, 400, error.code, error.message, error.errors);
        throw error;
      }
      const pdf = await withSecret(ctx, code, input.caseSecret, () => service().receipt(code, input.caseSecret));
      if (pdf === undefined) return;
      ctx.type = 'application/pdf';
      ctx.set('Content-Disposition', `attachment; filename="receipt-${code}.pdf"`);
      ctx.set('Cache-Control', 'private, no-store');
      ctx.body = pdf;
    },

    /**
     * The former `GET .../receipt.pdf?secret=`: it no longer reads a secret from the URL, and says
     * where the receipt is now, so an old link or client fails clearly rather than silently.
     */
    async receiptByUrl(ctx: any) {
      fail(ctx, 400, ERROR_CODES.SECRET_IN_URL, 'The case secret must not be sent in a URL. POST /api/grievances/track/<code>/receipt with { "data": { "caseSecret": "..." } } to get the receipt.');
    },

    /** Signed webhooks of messaging channels; a bad signature is 401 and nothing is stored. */
    async channelIntake(ctx: any) {
      const channel = ctx.params.channel as IntakeChannel;
      const settings = (strapi.config.get('api.channelIntake') as Record<string, ChannelSettings>)[channel];
      if (!(INTAKE_CHANNELS as readonly string[]).includes(channel) || !settings?.secret) return fail(ctx, 404, ERROR_CODES.NOT_FOUND, 'This intake channel is not enabled.');
      if (await limited(ctx, 'channelIntake')) return;
      const raw = ctx.request.body?.[UNPARSED];
      const timestamp = String(ctx.get(TIMESTAMP_HEADER) ?? '');
      if (TIMESTAMPED[channel] && !/^\d{1,12}$/.test(timestamp)) {
        return fail(ctx, 401, 'INVALID_SIGNATURE', `Sign the request with its time: ${TIMESTAMP_HEADER} in Unix seconds, signature over "<timestamp>.<body>".`);
      }
      if (typeof raw !== 'string' || !signatureValid(settings.secret, signedPayload(channel, raw, timestamp), ctx.get(SIGNATURE_HEADER[channel]) || undefined)) {
        return fail(ctx, 401, 'INVALID_SIGNATURE', `The ${SIGNATURE_HEADER[channel]} signature does not match this request.`);
      }
      // A captured delivery cannot be replayed later: its signed time goes stale.
      if (TIMESTAMPED[channel] && !timestampFresh(timestamp, Date.now())) {
        return fail(ctx, 401, 'SIGNATURE_EXPIRED', `The ${TIMESTAMP_HEADER} time is more than five minutes away from the server's clock.`);
      }
      const messages = parseInbound(channel, ctx.request.body);
      const result = await getService('cases', 'channel-intake').receive(channel, settings, messages);
      // A chat bot waits for the answer and shows it; a rejected message is its user's to fix.
      if (channel === 'chat' && result.rejected.length > 0 && result.received.length === 0) {
        const first = result.rejected[0] as { code: string; message?: string; errors?: unknown[] };
        return fail(ctx, first.code === 'VALIDATION' ? 400 : 409, first.code, first.message ?? 'The message could not be filed.', first.errors);
      }
      // Providers redeliver on anything but 2xx; what could not be filed is reported, not retried.
      const answer = channel === 'chat' ? result.received : result.received.map(({ caseSecret: _secret, ...rest }: any) => rest);
      ctx.body = { data: { received: answer, rejected: result.rejected } };
    },

    /** The subscription check of the WhatsApp Cloud API and Messenger webhooks. */
    async channelVerify(ctx: any) {
      const channel = ctx.params.channel as IntakeChannel;
      const settings = (strapi.config.get('api.channelIntake') as Record<string, ChannelSettings>)[channel];
      const q = ctx.query;
      if (!settings?.verifyToken || q['hub.mode'] !== 'subscribe' || q['hub.verify_token'] !== settings.verifyToken) {
        return fail(ctx, 403, ERROR_CODES.NOT_ALLOWED, 'Verification failed.');
      }
      ctx.type = 'text/plain';
      ctx.body = String(q['hub.challenge'] ?? '');
    },

    /** Anonymised public figures of a project (computed by the reports plugin's KPI module). */
    async metrics(ctx: any) {
      if (await limited(ctx, 'track')) return;
      if (unknownParams(ctx, ['project', 'period', 'from', 'to', 'region', 'locale'])) return;
      try {
        ctx.body = await getService('reports', 'public-metrics').metrics(ctx.query);
        ctx.set('Cache-Control', 'public, max-age=300');
      } catch (error: any) {
        if (error?.constructor?.name === 'MetricsRefusal') return fail(ctx, error.status, error.code, error.message, error.errors);
        throw error;
      }
    },

    /** The public archive of a project's published reports (PDF and Excel links). */
    async reports(ctx: any) {
      if (unknownParams(ctx, ['project'])) return;
      if (await limited(ctx, 'track')) return;
      if (typeof ctx.query.project !== 'string' || !ctx.query.project) return fail(ctx, 400, ERROR_CODES.VALIDATION, 'Name the project: ?project=<code>.');
      try {
        ctx.body = { data: await getService('reports', 'generator').archive(ctx.query.project) };
      } catch (error: any) {
        if (error?.constructor?.name === 'ReportRefusal') return fail(ctx, error.status, error.code, error.message);
        throw error;
      }
    },

    async track(ctx: any) {
      if (unknownParams(ctx, ['locale'])) return;
      if (await limited(ctx, 'track')) return;
      const raw = String(ctx.params.trackingCode ?? '').trim().toUpperCase();
      const code = normaliseTrackingCode(raw);
      if (!code) {
        // A code of the right shape whose check character fails was mistyped.
        const mistyped = TRACKING_CODE_PATTERN.test(raw);
        return fail(ctx, 400, 'INVALID_TRACKING_CODE', mistyped ? 'This tracking code has a typing mistake; check it against your receipt.' : 'This is not a tracking code.');
      }
      const locale = typeof ctx.query.locale === 'string' ? ctx.query.locale : null;
      const result = await service().track(code, locale);
      if (!result) return fail(ctx, 404, ERROR_CODES.NOT_FOUND, 'No case has this tracking code.');
      ctx.body = { data: result };
    },
  };
};
