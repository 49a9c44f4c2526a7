/**
 * What gets recorded: every document-service write to a domain content type, every workflow
 * transition (inside its transaction, through the domain event bus), staff logins and admin
 * role, user and token changes. Other plugins record exports and reports through `record`.
 */
import type { Core } from '@strapi/strapi';
import { subscribe, type GrievanceEvent, type RoutingEvent } from '../../../../../src/domain/events';
import { diffOf } from '../domain/chain';
import { AUDIT_UID, UID } from '../constants';
import { getService } from '../../../../../src/platform/services';
import { readToOnes } from '../../../../../src/platform/tables';

const WRITES = new Set(['create', 'update', 'delete']);
const SECRET_KEY = /pass(word)?|secret|token|salt|key$|authori[sz]ation/i;

/** Request bodies of admin changes, with anything secret-looking removed. */
export function redactBody(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[…]';
  if (Array.isArray(value)) return value.slice(0, 200).map((v) => redactBody(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redactBody(v, depth + 1)]));
  }
  return value;
}

/** Documents of relations as given in a write (`connect`, `set`, ids or documentIds). */
function referencesOf(value: unknown): unknown {
  if (value == null) return null;
  if (Array.isArray(value)) return value.map(referencesOf);
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (v.connect || v.disconnect || v.set) {
      return Object.fromEntries(['connect', 'disconnect', 'set'].filter((k) => Array.isArray(v[k])).map((k) => [k, (v[k] as unknown[]).map(referencesOf)]));
    }
    return v.documentId ?? v.id ?? null;
  }
  return value;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const audit = () => getService('audit', 'audit');

  const projectOf = (uid: string, row: any): string | null => {
    if (!row) return null;
    if (uid === 'api::project.project') return row.documentId ?? null;
    return row.project?.documentId ?? row.projects?.[0]?.documentId ?? row.grievance?.project?.documentId ?? null;
  };

  const load = (uid: string, where: Record<string, unknown>) => {
    const attributes = (strapi.contentTypes as any)[uid].attributes;
    const populate: Record<string, unknown> = {};
    if (attributes.project) populate.project = { select: ['documentId'] };
    if (attributes.projects) populate.projects = { select: ['documentId'] };
    return strapi.db.query(uid as any).findOne({ where, populate });
  };

  return {
    registerDocumentCapture() {
      strapi.documents.use(async (ctx, next) => {
        if (!ctx.uid.startsWith('api::') || !WRITES.has(ctx.action) || (ctx.uid as string) === AUDIT_UID) return next();
        // A new case is recorded from its `received` event, whichever path wrote it (subscribeToIntake).
        if ((ctx.uid as string) === UID.grievance && ctx.action === 'create') return next();
        const params = ctx.params as { documentId?: string; locale?: string; data?: Record<string, unknown> };
        const attributes = (strapi.contentTypes as any)[ctx.uid].attributes;
        // The change and its audit event commit or fail together.
        return strapi.db.transaction(async () => {
          const scope = params.documentId ? { documentId: params.documentId, ...(params.locale ? { locale: params.locale } : {}) } : null;
          const before = scope && ctx.action !== 'create' ? await load(ctx.uid, scope) : null;
          const result: any = await next();
          const documentId = result?.documentId ?? params.documentId ?? null;
          const after = ctx.action !== 'delete' && result?.id ? await load(ctx.uid, { id: result.id }) : null;
          const diff: Record<string, unknown> = diffOf(before, after, attributes);
          for (const [field, value] of Object.entries(params.data ?? {})) {
            if (attributes[field]?.type === 'relation' && !attributes[field].private) diff[field] = { to: referencesOf(value) };
          }
          if (params.locale || after?.locale) diff.locale = params.locale ?? after.locale;
          await audit().append({
            action: `${ctx.uid.split('.').pop()}.${ctx.action}`,
            entityType: ctx.uid,
            entityId: documentId,
            projectId: projectOf(ctx.uid, after ?? before),
            diff,
          });
          return result;
        });
      });
    },

    /**
     * Every change of a case is recorded from its in-transaction event: transitions, and the
     * routing and SLA states that escalation decides and the case store writes.
     */
    subscribeToCases(): () => void {
      const system = (label: string) => ({ actorType: 'system' as const, actorId: null, actorLabel: label });
      const routedEntry = (event: RoutingEvent) => ({
        action: 'case.routed',
        entityType: UID.grievance,
        entityId: event.grievance.documentId,
        projectId: event.grievance.projectId,
        diff: { trackingCode: event.grievance.trackingCode, cause: event.action, level: event.level, region: event.regionId, assignee: event.assigneeId, waitingFor: event.notifyUserIds },
        actor: system('SLA routing'),
      });
      const transitionedEntry = (event: GrievanceEvent) => {
        const hasRequest = Boolean(strapi.requestContext.get());
        return {
          action: `workflow.${event.action}`,
          entityType: UID.grievance,
          entityId: event.grievance.documentId,
          projectId: event.grievance.projectId,
          diff: {
            caseStatus: { from: event.from, to: event.to },
            version: event.version,
            trackingCode: event.grievance.trackingCode,
            ...event.details,
          },
          ...(hasRequest ? {} : { actor: { actorType: event.actor.type, actorId: event.actor.userId != null ? String(event.actor.userId) : null, actorLabel: event.actor.label } }),
        };
      };
      // A sweep's batch of escalations is recorded in one INSERT per event type.
      const offRouted = subscribe(
        'grievance.routed',
        (event) => audit().append(routedEntry(event)).then(() => undefined),
        (events) => audit().appendMany(events.map(routedEntry)).then(() => undefined)
      );
      const offSla = subscribe('grievance.sla_state', (event) =>
        audit().append({
          action: 'case.sla_state',
          entityType: UID.grievance,
          entityId: event.grievance.documentId,
          projectId: event.grievance.projectId,
          diff: { trackingCode: event.grievance.trackingCode, slaState: { from: event.from, to: event.to }, level: event.level },
          actor: system('SLA sweep'),
        }).then(() => undefined)
      );
      const offTransitioned = subscribe(
        'grievance.transitioned',
        (event) => audit().append(transitionedEntry(event)).then(() => undefined),
        (events) => audit().appendMany(events.map(transitionedEntry)).then(() => undefined)
      );
      return () => {
        offRouted();
        offSla();
        offTransitioned();
      };
    },

    /**
     * A new case, from its `received` event, as the document capture records other creates:
     * every field it was filed with (private ones redacted) and the records it links to.
     * Subscribed at bootstrap, after the escalation plugin's deadlines, so those are included.
     */
    subscribeToIntake(): () => void {
      return subscribe('grievance.received', async (event) => {
        const attributes = (strapi.contentTypes as any)[UID.grievance].attributes;
        const row = await strapi.db.query(UID.grievance as any).findOne({ where: { id: event.grievance.id } });
        const linked = Object.keys(attributes).filter((field) => attributes[field].type === 'relation' && !attributes[field].private && attributes[field].relation === 'manyToOne');
        const related = await readToOnes(UID.grievance, event.grievance.id, Object.fromEntries(linked.map((field) => [field, { uid: attributes[field].target, fields: ['documentId'] }])));
        const diff: Record<string, unknown> = diffOf(null, row, attributes);
        for (const field of linked) if (related?.[field]) diff[field] = { to: related[field]!.documentId };
        const hasRequest = Boolean(strapi.requestContext.get());
        await audit().append({
          action: 'grievance.create',
          entityType: UID.grievance,
          entityId: event.grievance.documentId,
          projectId: event.grievance.projectId,
          diff,
          ...(hasRequest ? {} : { actor: { actorType: event.actor.type, actorId: event.actor.userId != null ? String(event.actor.userId) : null, actorLabel: event.actor.label } }),
        });
      });
    },

    /** For other plugins: exports, reports and other operator actions. */
    async record(entry: { action: string; entityType?: string; entityId?: string; projectId?: string | null; details?: Record<string, unknown> }) {
      return audit().append({
        action: entry.action,
        entityType: entry.entityType ?? null,
        entityId: entry.entityId ?? null,
        projectId: entry.projectId ?? null,
        diff: entry.details ? (redactBody(entry.details) as Record<string, unknown>) : null,
      });
    },
  };
};
