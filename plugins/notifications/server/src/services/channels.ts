/**
 * Delivery channels. E-mail goes through Strapi's e-mail plugin (nodemailer provider, SMTP from
 * the environment). SMS and WhatsApp go through an HTTP gateway: a Twilio-compatible preset or a
 * generic JSON POST whose body is a template with {{to}}, {{from}} and {{text}}. In-app alerts
 * are stored rows pushed to connected staff over server-sent events.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { deliveryHealth, DeliveryHealth } from '../domain/delivery';

export interface GatewayConfig {
  url?: string;
  preset?: 'twilio' | 'generic';
  from?: string;
  username?: string;
  password?: string;
  token?: string;
  /** Generic preset: the JSON body, with {{to}}, {{from}} and {{text}} placeholders. */
  bodyTemplate?: string;
  timeoutMs?: number;
}

export class ChannelError extends Error {
  constructor(message: string, readonly permanent = false) {
    super(message);
  }
}

const jsonString = (value: string) => JSON.stringify(value).slice(1, -1);

/** The HTTP request a gateway expects for one message. Pure, so each preset is unit-tested. */
export function gatewayRequest(config: GatewayConfig, to: string, text: string, channel: 'sms' | 'whatsapp'): { url: string; init: RequestInit } {
  if (!config.url) throw new ChannelError(`No ${channel} gateway is configured.`, true);
  const headers: Record<string, string> = {};
  if (config.token) headers.Authorization = `Bearer ${config.token}`;
  else if (config.username) headers.Authorization = `Basic ${Buffer.from(`${config.username}:${config.password ?? ''}`).toString('base64')}`;
  if ((config.preset ?? 'generic') === 'twilio') {
    const prefix = channel === 'whatsapp' ? 'whatsapp:' : '';
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const body = new URLSearchParams({ To: `${prefix}${to}`, From: `${prefix}${config.from ?? ''}`, Body: text }).toString();
    return { url: config.url, init: { method: 'POST', headers, body } };
  }
  headers['Content-Type'] = 'application/json';
  const template = config.bodyTemplate || '{"to":"{{to}}","from":"{{from}}","text":"{{text}}"}';
  const body = template.replace(/\{\{(to|from|text)\}\}/g, (_, key: string) => jsonString(key === 'to' ? to : key === 'from' ? (config.from ?? '') : text));
  return { url: config.url, init: { method: 'POST', headers, body } };
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Where each channel delivers now (read from the configuration on every call: cheap, and a test may change it). */
  health(): DeliveryHealth {
    const setting = (key: string, fallback: unknown = undefined) => strapi.config.get(`plugin::notifications.${key}`, fallback);
    return deliveryHealth({
      requested: String(setting('delivery', '') ?? ''),
      production: strapi.config.get('environment') === 'production',
      allowDemoOutboxInProduction: Boolean(setting('demoOutboxInProduction', false)),
      configured: {
        email: Boolean(setting('emailConfigured', false)),
        sms: Boolean((setting('sms', {}) as GatewayConfig).url),
        whatsapp: Boolean((setting('whatsapp', {}) as GatewayConfig).url),
      },
    });
  },

  async email(to: string, subject: string, html: string, text: string, messageKey: string, attachments: Array<{ fileId: number }> = []) {
    if (!strapi.config.get('plugin::notifications.emailConfigured')) throw new ChannelError('E-mail is not configured (set SMTP_HOST).', true);
    const domain = String(strapi.config.get('plugin::notifications.messageIdDomain', 'grm.local'));
    const files = attachments.length
      ? await strapi.db.query('plugin::upload.file').findMany({ where: { id: { $in: attachments.map((a) => a.fileId) } }, select: ['name', 'url', 'mime'] })
      : [];
    if (files.length !== attachments.length) throw new ChannelError('An attachment of this message no longer exists.', true);
    // Files of the local provider are read from disk, others (S3) fetched from their URL, and
    // handed over as content: the mail provider itself may not read files or URLs.
    const mailAttachments = await Promise.all(
      files.map(async (f: any) => ({
        filename: f.name,
        contentType: f.mime,
        content: String(f.url).startsWith('/')
          ? await readFile(path.join(strapi.dirs.static.public, f.url))
          : Buffer.from(await (await fetch(f.url, { signal: AbortSignal.timeout(30_000) })).arrayBuffer()),
      }))
    );
    // A stable Message-ID lets mail systems drop a duplicate if a crash made us send twice.
    await strapi.plugin('email').service('email').send({
      to,
      subject,
      html,
      text,
      ...(mailAttachments.length ? { attachments: mailAttachments } : {}),
      headers: { 'Message-ID': `<${messageKey.replace(/[^a-zA-Z0-9.:_-]/g, '-')}@${domain}>` },
    } as any);
  },

  async gateway(channel: 'sms' | 'whatsapp', to: string, text: string) {
    const config = strapi.config.get(`plugin::notifications.${channel}`, {}) as GatewayConfig;
    const { url, init } = gatewayRequest(config, to, text, channel);
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(config.timeoutMs ?? 15_000) });
    if (!response.ok) {
      const detail = (await response.text().catch(() => '')).slice(0, 200);
      // 4xx other than rate limiting will not get better by retrying.
      throw new ChannelError(`${channel} gateway answered ${response.status}: ${detail}`, response.status >= 400 && response.status < 500 && response.status !== 429);
    }
  },
});
