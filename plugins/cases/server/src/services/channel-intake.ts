/**
 * Files the messages of a messaging-channel webhook as grievances, through the same public
 * intake as the portal. Each message is idempotent on the provider's message id (a re-delivered
 * webhook returns the case already filed); the category comes from the bot's choice, else from
 * the categories' keywords, else the channel's default.
 */
import type { Core } from '@strapi/strapi';
import { DomainError } from '../../../../../src/domain/errors';
import { InboundMessage, IntakeChannel, matchCategory } from '../../../../../src/domain/channel-intake';
import { parseSubmission } from '../../../../../src/domain/public-submission';
import { UID } from '../../../../../src/platform/uids';
import * as idempotency from '../../../../../src/platform/idempotency';
import { getService } from '../../../../../src/platform/services';

export interface ChannelSettings {
  secret: string;
  verifyToken?: string;
  project: string;
  category: string;
}

const CHANNEL_OF: Record<IntakeChannel, string> = { whatsapp: 'whatsapp', facebook: 'facebook', chat: 'chat', sms: 'sms' };

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async receive(channel: IntakeChannel, settings: ChannelSettings, messages: InboundMessage[]) {
    const received: Array<Record<string, unknown>> = [];
    const rejected: Array<Record<string, unknown>> = [];
    const scope = `intake:${channel}`;
    for (const message of messages) {
      const project = (message.project ?? settings.project).toUpperCase();
      let category = message.category;
      if (!category) {
        const categories = await strapi.db.query(UID.category as any).findMany({ where: { locale: 'en', project: { code: project } }, select: ['code', 'keywords'] });
        category = matchCategory(message.text, categories) ?? settings.category;
      }
      const data: Record<string, unknown> = { project, category, description: message.text, channel: CHANNEL_OF[channel] };
      if (message.region) data.region = message.region;
      if (message.language) data.language = message.language;
      const citizen = Object.fromEntries(Object.entries({ name: message.name, phone: message.phone, email: message.email }).filter(([, v]) => v));
      if (Object.keys(citizen).length) data.citizen = citizen;

      const claim = await idempotency.claim(scope, message.messageId, idempotency.requestHash(data));
      if (claim.kind === 'replay') {
        // The case secret is shown once, to the first delivery: a redelivery (or a replay of a
        // captured one) learns only which case the message became.
        const { caseSecret: _secret, ...filed } = (claim.body as any).data ?? {};
        received.push({ messageId: message.messageId, ...filed, replayed: true });
        continue;
      }
      if (claim.kind !== 'claimed') {
        // Being filed right now by another delivery, or the same id with other content: nothing more to do.
        rejected.push({ messageId: message.messageId, code: claim.kind === 'mismatch' ? 'IDEMPOTENCY_MISMATCH' : 'IDEMPOTENCY_IN_FLIGHT' });
        continue;
      }
      try {
        const submission = parseSubmission({ data });
        const body = await getService('cases', 'submission').submit(submission, message.messageId, scope);
        received.push({ messageId: message.messageId, ...body.data });
      } catch (error) {
        await idempotency.release(scope, message.messageId);
        if (!(error instanceof DomainError)) throw error;
        rejected.push({ messageId: message.messageId, code: error.code, message: error.message, errors: error.errors });
      }
    }
    return { received, rejected };
  },
});
