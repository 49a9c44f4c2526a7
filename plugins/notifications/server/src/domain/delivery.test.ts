import { deliveryHealth, DeliverySettings } from './delivery';

const settings = (over: Partial<DeliverySettings> = {}): DeliverySettings => ({
  requested: '',
  production: false,
  allowDemoOutboxInProduction: false,
  configured: { email: true, sms: false, whatsapp: false },
  ...over,
});

describe('where each channel delivers', () => {
  it('uses the configured providers by default and names the channels that are not configured', () => {
    expect(deliveryHealth(settings())).toEqual({
      mode: 'live',
      requested: 'live',
      problem: null,
      channels: { email: 'configured', sms: 'not_configured', whatsapp: 'not_configured', in_app: 'configured' },
    });
  });
  it('sends every external channel to the demo outbox in outbox mode, configured or not', () => {
    const health = deliveryHealth(settings({ requested: 'outbox' }));
    expect(health.mode).toBe('outbox');
    expect(health.channels).toEqual({ email: 'demo_outbox', sms: 'demo_outbox', whatsapp: 'demo_outbox', in_app: 'configured' });
  });
  it('refuses the demo outbox in production unless the operator says yes explicitly', () => {
    const refused = deliveryHealth(settings({ requested: 'outbox', production: true }));
    expect(refused).toMatchObject({ mode: 'live', problem: 'demo_outbox_refused_in_production' });
    expect(refused.channels.sms).toBe('not_configured');
    expect(deliveryHealth(settings({ requested: 'outbox', production: true, allowDemoOutboxInProduction: true })).mode).toBe('outbox');
  });
  it('reports an unknown mode and keeps the real providers', () => {
    expect(deliveryHealth(settings({ requested: 'sink' }))).toMatchObject({ mode: 'live', requested: 'sink', problem: 'unknown_mode' });
  });
});
