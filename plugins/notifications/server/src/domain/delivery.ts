/**
 * Where each channel's messages go: to its real provider, to the demo outbox (stored, rendered,
 * read on the admin Outbox page; nothing leaves the server), or nowhere yet because the channel
 * is not configured, in which case messages are held rather than failed (docs/notifications.md).
 * Pure, so the production rules are unit-tested.
 */
import type { NotificationChannel } from '../../../../../src/domain/vocabulary';

export const DELIVERY_MODES = ['live', 'outbox'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

export type ChannelState = 'configured' | 'not_configured' | 'demo_outbox';

export interface DeliverySettings {
  /** NOTIFICATIONS_DELIVERY as given (empty = live). */
  requested: string;
  production: boolean;
  /** NOTIFICATIONS_DEMO_OUTBOX_IN_PRODUCTION: an operator's explicit yes to the demo outbox in production. */
  allowDemoOutboxInProduction: boolean;
  configured: Record<'email' | 'sms' | 'whatsapp', boolean>;
}

export interface DeliveryHealth {
  mode: DeliveryMode;
  requested: string;
  /** Why the requested mode is not the one in force, if it is not. */
  problem: 'unknown_mode' | 'demo_outbox_refused_in_production' | null;
  channels: Record<NotificationChannel, ChannelState>;
}

/** The channels that leave the server; in-app alerts are stored rows and always work. */
export const EXTERNAL_CHANNELS = ['email', 'sms', 'whatsapp'] as const;

export function deliveryHealth(settings: DeliverySettings): DeliveryHealth {
  const requested = settings.requested.trim().toLowerCase() || 'live';
  let mode: DeliveryMode = 'live';
  let problem: DeliveryHealth['problem'] = null;
  if (!(DELIVERY_MODES as readonly string[]).includes(requested)) problem = 'unknown_mode';
  else if (requested === 'outbox' && settings.production && !settings.allowDemoOutboxInProduction) problem = 'demo_outbox_refused_in_production';
  else mode = requested as DeliveryMode;
  const state = (channel: (typeof EXTERNAL_CHANNELS)[number]): ChannelState =>
    mode === 'outbox' ? 'demo_outbox' : settings.configured[channel] ? 'configured' : 'not_configured';
  return {
    mode,
    requested,
    problem,
    channels: { email: state('email'), sms: state('sms'), whatsapp: state('whatsapp'), in_app: 'configured' },
  };
}
