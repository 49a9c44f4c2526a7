import { createHmac } from 'node:crypto';
import { matchCategory, parseInbound, signatureValid, signedPayload, timestampFresh } from './channel-intake';

describe('webhook signatures', () => {
  const body = '{"a":1}';
  const sign = (secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  it('accepts the HMAC-SHA256 of the raw body and nothing else', () => {
    expect(signatureValid('s3cret', body, sign('s3cret'))).toBe(true);
    expect(signatureValid('s3cret', body, sign('other'))).toBe(false);
    expect(signatureValid('s3cret', `${body} `, sign('s3cret'))).toBe(false);
    expect(signatureValid('s3cret', body, undefined)).toBe(false);
    expect(signatureValid('', body, sign(''))).toBe(false);
  });
});

describe('payload shapes', () => {
  it('reads WhatsApp Cloud API text messages with the sender number and name', () => {
    const payload = { object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'messages', value: { contacts: [{ wa_id: '919800000001', profile: { name: 'Anita' } }], messages: [{ id: 'wamid.1', from: '919800000001', type: 'text', text: { body: 'No water' } }, { id: 'wamid.2', from: '919800000001', type: 'image' }], statuses: [] } }] }] };
    expect(parseInbound('whatsapp', payload)).toEqual([expect.objectContaining({ messageId: 'wamid.1', text: 'No water', phone: '+919800000001', name: 'Anita' })]);
  });
  it('reads Messenger messages and skips echoes', () => {
    const payload = { object: 'page', entry: [{ messaging: [{ sender: { id: '1' }, message: { mid: 'm_1', text: 'Road broken' } }, { sender: { id: '2' }, message: { mid: 'm_2', text: 'Thanks', is_echo: true } }] }] };
    expect(parseInbound('facebook', payload).map((m) => m.messageId)).toEqual(['m_1']);
  });
  it('reads a chat bot message with the fields the bot collected', () => {
    expect(parseInbound('chat', { message_id: 'c1', text: 'Dust at night', metadata: { project: 'HWAY', category: 'HWAY-DUST-NOISE', language: 'hi' } })[0]).toMatchObject({ project: 'HWAY', category: 'HWAY-DUST-NOISE', language: 'hi' });
  });
  it('reads SMS callbacks as JSON or as a Twilio-style form', () => {
    expect(parseInbound('sms', { MessageSid: 'SM1', From: '+919811111111', Body: 'Pipe burst' })[0]).toMatchObject({ messageId: 'SM1', phone: '+919811111111' });
    expect(parseInbound('sms', { id: 'x', text: '' })).toEqual([]);
  });
});

describe('category from keywords', () => {
  const categories = [
    { code: 'WATER', keywords: ['water', 'pipe', 'पानी'] },
    { code: 'ROAD', keywords: ['road', 'pothole'] },
  ];
  it('picks the category whose keywords the text mentions most', () => {
    expect(matchCategory('The pipe burst, no water', categories)).toBe('WATER');
    expect(matchCategory('पानी नहीं आ रहा', categories)).toBe('WATER');
    expect(matchCategory('Pothole on the road', categories)).toBe('ROAD');
    expect(matchCategory('Rude staff', categories)).toBeNull();
  });
});

describe('signed time', () => {
  const now = Date.UTC(2026, 11, 1, 12, 0, 0);
  const seconds = String(now / 1000);
  it('accepts a time within five minutes either way, and nothing else', () => {
    expect(timestampFresh(seconds, now)).toBe(true);
    expect(timestampFresh(String(now / 1000 - 300), now)).toBe(true);
    expect(timestampFresh(String(now / 1000 + 300), now)).toBe(true);
    expect(timestampFresh(String(now / 1000 - 301), now)).toBe(false);
    expect(timestampFresh(String(now / 1000 + 301), now)).toBe(false);
    for (const bad of ['', ' ', '1e9', '-1', `${seconds}.5`, String(now), 'abc']) expect(timestampFresh(bad, now)).toBe(false);
  });
  it('signs the time with the body on the channels whose signature we define', () => {
    expect(signedPayload('chat', '{"a":1}', '17')).toBe('17.{"a":1}');
    expect(signedPayload('sms', 'a=1', '17')).toBe('17.a=1');
    expect(signedPayload('whatsapp', '{"a":1}', '17')).toBe('{"a":1}');
    expect(signedPayload('facebook', '{"a":1}', '')).toBe('{"a":1}');
  });
});
