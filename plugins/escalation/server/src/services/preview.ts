/**
 * What-if preview for an edited, unsaved SLA level: the open cases at that level whose
 * deadlines, SLA state or level would change if the edit were saved now. Reads only.
 */
import type { Core } from '@strapi/strapi';
import { dueAt } from '../domain/clock';
import { durationsFor, SlaLevelRecord } from '../domain/levels';
import { shouldEscalate, stateOf } from '../domain/sweep';
import { OPEN_STATUSES } from '../../../../../src/domain/vocabulary';
import { UID } from '../constants';
import { getService } from '../../../../../src/platform/services';

const LIMIT = 200;

export interface LevelDraft extends SlaLevelRecord {
  project: string;
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async preview(draft: LevelDraft, now = new Date()) {
    const q = (uid: string) => strapi.db.query(uid as any);
    const deadlines = getService('escalation', 'deadlines');
    const project = await q(UID.project).findOne({ where: { documentId: draft.project }, orderBy: { id: 'asc' } });
    if (!project) return null;
    const levels = Math.max(await q(UID.slaLevel).count({ where: { project: { documentId: draft.project }, locale: 'en' } }), draft.order);
    const rows = await q(UID.grievance).findMany({
      where: { project: { documentId: draft.project }, escalationLevel: draft.order, caseStatus: { $in: [...OPEN_STATUSES] } },
      populate: { region: { select: ['documentId'] } },
      orderBy: { id: 'asc' },
    });
    const changes = [];
    for (const row of rows) {
      const calendar = await deadlines.calendarFor(draft.project, row.region?.documentId ?? null, draft.calendar ?? 'business');
      const start = new Date(row.slaStartedAt ?? row.submittedAt);
      const { acknowledgeWithinHours, resolveWithinHours } = durationsFor(draft, row.priority);
      const next = {
        caseStatus: row.caseStatus,
        slaState: row.slaState,
        slaStartedAt: start,
        acknowledgedAt: row.acknowledgedAt ? new Date(row.acknowledgedAt) : null,
        acknowledgeDueAt: acknowledgeWithinHours ? dueAt(start, acknowledgeWithinHours, calendar) : null,
        resolveDueAt: resolveWithinHours ? dueAt(start, resolveWithinHours, calendar) : null,
        escalationLevel: row.escalationLevel,
      };
      const state = stateOf(next, now, draft.remindBeforeHours ?? 0, calendar);
      const wouldEscalate = shouldEscalate(next, state, project.autoEscalation !== false, levels);
      const dueChanged = (next.resolveDueAt?.getTime() ?? null) !== (row.resolveDueAt ? new Date(row.resolveDueAt).getTime() : null);
      if (state === row.slaState && !wouldEscalate && !dueChanged) continue;
      changes.push({
        documentId: row.documentId,
        trackingCode: row.trackingCode,
        from: { slaState: row.slaState, resolveDueAt: row.resolveDueAt ? new Date(row.resolveDueAt).toISOString() : null },
        to: { slaState: state, resolveDueAt: next.resolveDueAt?.toISOString() ?? null, escalate: wouldEscalate },
      });
    }
    return {
      checked: rows.length,
      affected: changes.length,
      atRisk: changes.filter((c) => c.to.slaState === 'at_risk').length,
      breached: changes.filter((c) => c.to.slaState === 'breached').length,
      escalated: changes.filter((c) => c.to.escalate).length,
      cases: changes.slice(0, LIMIT),
    };
  },
});
