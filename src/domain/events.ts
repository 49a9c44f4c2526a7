/**
 * The in-transaction domain event bus (docs/decisions/0005-event-bus-transaction-in-async-context.md).
 *
 * Intake and the workflow publish one event per change *inside* the database transaction that
 * makes the change. Subscribers (audit trail, notifications outbox, SLA clocks) write their own
 * rows in that same transaction: their queries join it automatically, because Strapi's query
 * layer picks up the open transaction from async context. If a subscriber throws, the whole
 * change rolls back, so a transition never commits without its audit event or outbox rows.
 *
 * Rules for subscribers:
 * - do only database work through `strapi.db` (it joins the transaction); no network calls,
 *   no e-mail: write an outbox row and let a worker send it after commit;
 * - be quick: the case row is locked until the transaction ends;
 * - subscribe in the plugin's `register()` and call the returned function in `destroy()`.
 */
import type { GrievanceStatus } from './vocabulary';

export interface EventActor {
  type: 'staff' | 'citizen' | 'system' | 'api_token';
  userId?: number;
  label: string;
}

/** A grievance changed through the workflow (or was received by intake). */
export interface GrievanceEvent {
  type: 'grievance.received' | 'grievance.transitioned';
  /** The workflow action (`submit` for intake). */
  action: string;
  grievance: { id: number; documentId: string; trackingCode: string; projectId: string | null; departmentId: string | null };
  from: GrievanceStatus | null;
  to: GrievanceStatus;
  version: number;
  actor: EventActor;
  at: string;
  /** Notification events the change calls for (see NOTIFICATION_EVENTS). */
  notify: string[];
  /** Action-specific details: note, reason, resolution, assignee, departments, escalation level ... */
  details: Record<string, unknown>;
  /** The case-history row written for this change. */
  historyEventId: number | null;
  /** The new level's deadlines and routing were written with the change (the sweep's batches): nothing is left to start. */
  levelStarted?: boolean;
}

/** The grievance identity every event carries. */
export type GrievanceRef = GrievanceEvent['grievance'];

/**
 * An SLA clock of a case reached its at-risk point or its deadline (queued once per case, level,
 * clock and kind by the escalation sweep). Notifications turn it into reminders and breach notices.
 */
export interface SlaEvent {
  type: 'grievance.sla';
  kind: 'at_risk' | 'breached';
  clock: 'acknowledge' | 'resolve';
  level: number;
  dueAt: string;
  grievance: GrievanceRef;
  at: string;
}

/**
 * An escalated case was routed to its new level: the region moved up to the level's region depth
 * and the level's focal person took it, or nobody could, and the case waits for the department
 * head (`notifyUserIds`) to assign it.
 */
export interface RoutingEvent {
  type: 'grievance.routed';
  /** The workflow action that moved the case up: `escalate` or `appeal`. */
  action: string;
  level: number;
  regionId: string | null;
  assigneeId: number | null;
  notifyUserIds: number[];
  grievance: GrievanceRef;
  at: string;
  /** The words of the transition that moved the case up: the citizen's reason for an appeal, the note of an escalation. */
  reason?: string;
}

/**
 * The sweep found a case's SLA state changed (on track, at risk, breached, no limit). The audit
 * trail records it: a breach is a fact about the case that reports and reviewers rely on.
 */
export interface SlaStateEvent {
  type: 'grievance.sla_state';
  from: string | null;
  to: string;
  level: number;
  grievance: GrievanceRef;
  at: string;
  historyEventId: number | null;
}

export type DomainEvent = GrievanceEvent | SlaEvent | RoutingEvent | SlaStateEvent;
export type DomainEventType = DomainEvent['type'];
export type Subscriber<E extends DomainEvent = DomainEvent> = (event: E) => Promise<void> | void;
/** A subscriber's form for many events of its type at once (a sweep's batch): one write for all. */
export type BatchSubscriber<E extends DomainEvent = DomainEvent> = (events: E[]) => Promise<void> | void;

const subscribers = new Map<DomainEventType, Set<Subscriber>>();
const batchForms = new WeakMap<Subscriber, BatchSubscriber>();

export function subscribe<T extends DomainEventType>(type: T, subscriber: Subscriber<DomainEvent & { type: T }>, many?: BatchSubscriber<DomainEvent & { type: T }>): () => void {
  const set = subscribers.get(type) ?? new Set<Subscriber>();
  set.add(subscriber as Subscriber);
  if (many) batchForms.set(subscriber as Subscriber, many as BatchSubscriber);
  subscribers.set(type, set);
  return () => set.delete(subscriber as Subscriber);
}

/**
 * Hands the event to every subscriber, one after another, and waits for them. Call it inside
 * the transaction that made the change; a subscriber's error propagates and rolls it back.
 */
export async function publish(event: DomainEvent): Promise<void> {
  for (const subscriber of subscribers.get(event.type) ?? []) await subscriber(event);
}

/**
 * Hands many events to the subscribers, type by type in the order the types first appear: a
 * subscriber with a batch form gets all the events of its type in one call, any other gets them
 * one by one. The same transaction rule as `publish`.
 */
export async function publishMany(events: DomainEvent[]): Promise<void> {
  for (const type of [...new Set(events.map((event) => event.type))]) {
    const ofType = events.filter((event) => event.type === type);
    for (const subscriber of subscribers.get(type) ?? []) {
      const many = batchForms.get(subscriber);
      if (many) await many(ofType);
      else for (const event of ofType) await subscriber(event);
    }
  }
}
