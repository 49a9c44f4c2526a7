/**
 * Which notifications a domain event calls for: the notification event and its audiences.
 * Pure; recipients, languages and templates are resolved by the outbox service.
 */
import type { DomainEvent } from '../../../../../src/domain/events';
import type { NotificationAudience, NotificationEvent } from '../../../../../src/domain/vocabulary';

export interface Planned {
  event: NotificationEvent;
  audiences: NotificationAudience[];
}

/** Audiences per notification event announced by a workflow transition. */
const ON_TRANSITION: Partial<Record<NotificationEvent, NotificationAudience[]>> = {
  acknowledged: ['citizen'],
  assigned: ['assignee'],
  in_progress: ['citizen'],
  // Staff at the new level hear from the routing that follows (see ON_ROUTED).
  escalated: ['citizen'],
  resolved: ['citizen'],
  closed: ['citizen'],
  rejected: ['citizen'],
  appeal_received: ['citizen'],
  transfer_requested: ['department_head'],
  transfer_decided: ['citizen', 'department_head'],
  feedback_received: ['assignee'],
};

export function plan(event: DomainEvent): Planned[] {
  switch (event.type) {
    case 'grievance.received':
      return [{ event: 'received', audiences: ['citizen'] }];
    case 'grievance.transitioned':
      return event.notify.flatMap((name) => {
        const audiences = ON_TRANSITION[name as NotificationEvent];
        // A denied transfer leaves the case where it was: only the department hears of it.
        if (name === 'transfer_decided' && event.action === 'deny_transfer') return [{ event: 'transfer_decided', audiences: ['department_head'] }];
        return audiences ? [{ event: name as NotificationEvent, audiences }] : [];
      });
    case 'grievance.routed':
      return [{ event: event.action === 'appeal' ? 'appeal_received' : 'escalated', audiences: ['level_for_action', 'levels_for_information'] }];
    case 'grievance.sla':
      return event.kind === 'at_risk'
        ? [{ event: 'sla_at_risk', audiences: ['assignee'] }]
        : [{ event: 'sla_breached', audiences: ['assignee', 'department_head'] }];
    default:
      return [];
  }
}

/** Exponential back-off: base, 2×base, 4×base … capped. */
export function retryDelay(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(attempts - 1, 0), maxMs);
}
