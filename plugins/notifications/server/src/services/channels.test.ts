import { gatewayRequest, ChannelError } from './channels';

describe('SMS / WhatsApp gateway requests', () => {
  it('speaks Twilio: form fields, basic auth, whatsapp: prefixes', () => {
    const { url, init } = gatewayRequest({ url: 'https://gw.test/Messages.json', preset: 'twilio', from: '+1555', username: 'AC1', password: 'tok' }, '+9198', 'Hello', 'whatsapp');
    expect(url).toBe('https://gw.test/Messages.json');
    expect(new URLSearchParams(init.body as string).get('To')).toBe('whatsapp:+9198');
    expect(new URLSearchParams(init.body as string).get('From')).toBe('whatsapp:+1555');
    expect((init.headers as Record<string, string>).Authorization).toBe(`Basic ${Buffer.from('AC1:tok').toString('base64')}`);
  });
  it('fills a generic JSON body, escaping the text safely', () => {
    const { init } = gatewayRequest({ url: 'https://gw.test', bodyTemplate: '{"msisdn":"{{to}}","message":"{{text}}"}', token: 'abc' }, '+9198', 'He said "hi"\nबधाई', 'sms');
    expect(JSON.parse(init.body as string)).toEqual({ msisdn: '+9198', message: 'He said "hi"\nबधाई' });
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer abc');
  });
  it('refuses to send without a configured gateway, permanently', () => {
    expect(() => gatewayRequest({}, '+9198', 'x', 'sms')).toThrow(ChannelError);
  });
});
