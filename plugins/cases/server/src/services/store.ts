/**
 * The case store (docs/architecture.md, "The case and who writes it"): the code that writes a
 * case's rows and publishes what changed, so that every change reaches the audit trail and the
 * outbox in the same transaction. Other plugins decide and ask it; they do not write the case.
 *
 * It owns routing (the assignee and region an escalation or appeal moves a case to) and the
 * record of SLA-state changes so far; intake and transitions move here one write path at a time.
 * Every method runs in the caller's transaction and must be called inside one.
 */
import type { Core } from '@strapi/strapi';
import { publish, type GrievanceRef } from '../../../../../src/domain/events';
import type { GrievanceStatus } from '../../../../../src/domain/vocabulary';
import { UID } from '../constants';

export interface RoutingDecision {
  grievanceId: number;
  grievance: GrievanceRef;
  /** The action that moved the case up (`escalate`, `appeal`) and when. */
  action: string;
  at: string;
  status: GrievanceStatus;
  level: number;
  levelName: string;
  /** The region the case moves to (its row id and documentId), or null to leave it. */
  region: { id: number; documentId: string } | null;
  /** The region the level owns, moved or not (for the record). */
  levelRegionDocumentId: string | null;
  assigneeId: number | null;
  /** Who must act when nobody could take the case: the department head. */
  notifyUserIds: number[];
  reason: string;
}

export interface SlaStateChange {
  grievanceId: number;
  grievance: GrievanceRef;
  status: GrievanceStatus;
  from: string | null;
  to: string;
  level: number;
  at: Date;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);

  return {
    /** Hands a case that moved up to its new level's region and focal person (or to nobody), with its history row and event. */
    async route(decision: RoutingDecision): Promise<void> {
      await q(UID.grievance).update({
        where: { id: decision.grievanceId },
        data: { assignee: decision.assigneeId, ...(decision.region ? { region: decision.region.id } : {}) },
      });
      await q(UID.grievanceEvent).create({
        data: {
          grievance: decision.grievanceId,
          type: 'assignment',
          action: 'route',
          fromStatus: decision.status,
          toStatus: decision.status,
          actorType: 'system',
          actorLabel: 'SLA routing',
          visibility: 'internal',
          occurredAt: new Date(decision.at),
          note: decision.assigneeId
            ? `Level ${decision.level} (${decision.levelName}): handed to the level's focal person.`
            : `Level ${decision.level} (${decision.levelName}): no focal person for this region and department; waiting for the department head to assign it.`,
          data: { level: decision.level, region: decision.levelRegionDocumentId, assignee: decision.assigneeId, notify: decision.notifyUserIds },
        },
      });
      await publish({
        type: 'grievance.routed',
        action: decision.action,
        level: decision.level,
        regionId: decision.levelRegionDocumentId,
        assigneeId: decision.assigneeId,
        notifyUserIds: decision.notifyUserIds,
        grievance: decision.grievance,
        at: decision.at,
        reason: decision.reason,
      });
    },

    /** Records an SLA state the sweep has just set (its own column), with the history row and event. */
    async recordSlaState(change: SlaStateChange): Promise<void> {
      const history = await q(UID.grievanceEvent).create({
        data: {
          grievance: change.grievanceId,
          type: 'sla_change',
          action: 'sla_state',
          fromStatus: change.status,
          toStatus: change.status,
          actorType: 'system',
          actorLabel: 'SLA sweep',
          visibility: 'internal',
          occurredAt: change.at,
          data: { from: change.from, to: change.to, level: change.level },
        },
      });
      await publish({
        type: 'grievance.sla_state',
        from: change.from,
        to: change.to,
        level: change.level,
        grievance: change.grievance,
        at: change.at.toISOString(),
        historyEventId: history?.id ?? null,
      });
    },
  };
};
