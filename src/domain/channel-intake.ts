/**
 * Messages arriving from messaging channels (docs/public-api.md `POST /api/intake/:channel`): the
 * signature check and the payload shapes of the WhatsApp Cloud API, Facebook Messenger, a generic
 * chat bot (Rasa style) and SMS gateway callbacks, each turned into the same inbound message.
 * Pure; the service files each message through the public intake.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const INTAKE_CHANNELS = ['whatsapp', 'facebook', 'chat', 'sms'] as const;
export type IntakeChannel = (typeof INTAKE_CHANNELS)[number];

export interface InboundMessage {
  /** The provider's id of the message: a re-delivered webhook files nothing twice. */
  messageId: string;
  text: string;
  phone: string | null;
  name: string | null;
  email: string | null;
  project: string | null;
  category: string | null;
  region: string | null;
  language: string | null;
}

/** Header carrying the signature, `sha256=<hex HMAC of the signed payload>` (signedPayload). */
export const SIGNATURE_HEADER: Record<IntakeChannel, string> = {
  whatsapp: 'x-hub-signature-256',
  facebook: 'x-hub-signature-256',
  chat: 'x-signature-256',
  sms: 'x-signature-256',
};

/**
 * Header of the signing time (Unix seconds) on the channels whose signature we define. Meta signs
 * WhatsApp and Messenger webhooks over the body alone, so those two carry no time and rely on the
 * message id (and never get a case secret back).
 */
export const TIMESTAMP_HEADER = 'x-grm-timestamp';
export const TIMESTAMPED: Record<IntakeChannel, boolean> = { whatsapp: false, facebook: false, chat: true, sms: true };
/** How far a signing time may be from the server's clock, either way (docs/public-api.md). */
export const SIGNATURE_WINDOW_SECONDS = 300;

/** What is signed: the raw body, or `<timestamp>.<raw body>` on a timestamped channel. */
export const signedPayload = (channel: IntakeChannel, rawBody: string, timestamp: string): string => (TIMESTAMPED[channel] ? `${timestamp}.${rawBody}` : rawBody);

/** A signing time in Unix seconds within the window around `nowMs`. */
export function timestampFresh(timestamp: string, nowMs: number, windowSeconds = SIGNATURE_WINDOW_SECONDS): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(nowMs / 1000 - Number(timestamp)) <= windowSeconds;
}

export function signatureValid(secret: string, rawBody: string | Buffer, header: string | undefined): boolean {
  if (!secret || !header || !header.startsWith('sha256=')) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const str = (v: unknown, max = 10_000): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, max) : null);
const blank = (messageId: string, text: string): InboundMessage => ({ messageId, text, phone: null, name: null, email: null, project: null, category: null, region: null, language: null });

/** The text messages of a webhook payload; anything else (statuses, read receipts, media) is skipped. */
export function parseInbound(channel: IntakeChannel, body: any): InboundMessage[] {
  const out: InboundMessage[] = [];
  switch (channel) {
    case 'whatsapp':
      for (const entry of Array.isArray(body?.entry) ? body.entry : []) {
        for (const change of Array.isArray(entry?.changes) ? entry.changes : []) {
          const value = change?.value ?? {};
          const names = new Map<string, string>((value.contacts ?? []).map((c: any) => [String(c?.wa_id), str(c?.profile?.name, 200)]));
          for (const m of Array.isArray(value.messages) ? value.messages : []) {
            const text = m?.type === 'text' ? str(m?.text?.body) : null;
            const id = str(m?.id, 200);
            if (!text || !id) continue;
            const from = str(m.from, 30);
            out.push({ ...blank(id, text), phone: from ? `+${from.replace(/^\+/, '')}` : null, name: from ? (names.get(from) ?? null) : null });
          }
        }
      }
      return out;
    case 'facebook':
      for (const entry of Array.isArray(body?.entry) ? body.entry : []) {
        for (const event of Array.isArray(entry?.messaging) ? entry.messaging : []) {
          const text = str(event?.message?.text);
          const id = str(event?.message?.mid, 200);
          // Echoes of the page's own messages are not complaints.
          if (!text || !id || event?.message?.is_echo) continue;
          out.push(blank(id, text));
        }
      }
      return out;
    case 'chat': {
      const id = str(body?.message_id ?? body?.messageId, 200);
      const text = str(body?.text);
      if (!id || !text) return [];
      const m = body?.metadata ?? {};
      return [{ ...blank(id, text), phone: str(m.phone, 40), name: str(m.name, 200), email: str(m.email, 254), project: str(m.project, 60), category: str(m.category, 60), region: str(m.region, 60), language: str(m.language, 10) }];
    }
    case 'sms': {
      // JSON `{ id, from, text }` or a Twilio-style form `{ MessageSid, From, Body }`.
      const id = str(body?.id ?? body?.MessageSid ?? body?.messageId, 200);
      const text = str(body?.text ?? body?.Body);
      if (!id || !text) return [];
      return [{ ...blank(id, text), phone: str(body?.from ?? body?.From, 40) }];
    }
    default:
      return [];
  }
}

/** The category whose keywords the text mentions most, or null. */
export function matchCategory(text: string, categories: Array<{ code: string; keywords: unknown }>): string | null {
  const haystack = text.toLocaleLowerCase();
  let best: { code: string; hits: number } | null = null;
  for (const category of categories) {
    const keywords = Array.isArray(category.keywords) ? category.keywords.filter((k): k is string => typeof k === 'string' && k.trim() !== '') : [];
    const hits = keywords.filter((k) => haystack.includes(k.toLocaleLowerCase())).length;
    if (hits > 0 && (!best || hits > best.hits)) best = { code: category.code, hits };
  }
  return best?.code ?? null;
}
