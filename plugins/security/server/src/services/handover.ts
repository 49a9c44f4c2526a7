/**
 * Handing over a post (docs/security.md): a department's head, or an SLA level's focal person
 * (the district collector's post, for example), passes from one staff member to another only
 * when both confirm it, each after a step-up: the outgoing holder offers the post to a named
 * colleague, the colleague accepts it, and only then does the post move, in one transaction.
 */
import type { Core } from '@strapi/strapi';
import { AUDIT, ERROR, HANDOVER_DAYS, UID } from '../constants';
import { StepUpRefusal } from './step-up';
import { getService } from '../../../../../src/platform/services';

type Post = 'department_head' | 'level_focal';
const POSTS: Post[] = ['department_head', 'level_focal'];
const SUPER_ADMIN = 'strapi-super-admin';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);
  const stepUp = () => getService('security', 'stepUp');
  const record = (action: string, handover: any) =>
    getService('audit', 'capture').record({
      action,
      entityType: post(handover.post).uid,
      entityId: handover.postDocumentId,
      details: { post: handover.post, label: handover.postLabel, from: handover.fromUserId, to: handover.toUserId, handover: handover.id },
    });
  const post = (kind: Post) => (kind === 'department_head' ? { uid: UID.department } : { uid: UID.slaLevel });

  /** Who holds a post now, and its name for people. */
  async function holdersOf(kind: Post, documentId: string): Promise<{ label: string; holders: number[] } | null> {
    if (kind === 'department_head') {
      const rows = await q(UID.department).findMany({ where: { documentId }, populate: { head: { select: ['id'] } } });
      if (!rows.length) return null;
      const name = (rows.find((r: any) => r.locale === 'en') ?? rows[0]).name;
      return { label: `Head of ${name}`, holders: [...new Set<number>(rows.map((r: any) => r.head?.id).filter(Boolean))] };
    }
    const level = await q(UID.slaLevel).findOne({ where: { documentId, locale: 'en' }, populate: { project: { select: ['code'] } } })
      ?? (await q(UID.slaLevel).findOne({ where: { documentId }, populate: { project: { select: ['code'] } } }));
    if (!level) return null;
    const profiles = await q(UID.staffProfile).findMany({ where: { slaLevels: { documentId }, active: true }, populate: { user: { select: ['id'] } } });
    return { label: `${level.name} (level ${level.order}, ${level.project?.code ?? 'no project'})`, holders: profiles.map((p: any) => p.user?.id).filter(Boolean) };
  }

  async function profileOf(userId: number) {
    return q(UID.staffProfile).findOne({ where: { user: { id: userId }, active: true }, populate: { slaLevels: { select: ['id', 'documentId'] } } });
  }

  async function load(id: number) {
    const handover = await q(UID.handover).findOne({ where: { id } });
    if (!handover) throw new StepUpRefusal(404, 'NOT_FOUND', 'No such handover.');
    if (handover.state === 'offered' && new Date(handover.expiresAt) <= new Date()) {
      await q(UID.handover).update({ where: { id }, data: { state: 'expired', decidedAt: new Date() } });
      throw new StepUpRefusal(409, ERROR.HANDOVER_CLOSED, 'This offer has expired; the holder may offer the post again.');
    }
    if (handover.state !== 'offered') throw new StepUpRefusal(409, ERROR.HANDOVER_CLOSED, `This handover is already ${handover.state}.`);
    return handover;
  }

  /** Moves the post from one holder to the other (inside the caller's transaction). */
  async function transfer(handover: any) {
    if (handover.post === 'department_head') {
      // The head is kept on every language version of the department.
      for (const row of await q(UID.department).findMany({ where: { documentId: handover.postDocumentId }, select: ['id'] })) {
        await q(UID.department).update({ where: { id: row.id }, data: { head: handover.toUserId } });
      }
      return;
    }
    const outgoing = await profileOf(handover.fromUserId);
    const incoming = await profileOf(handover.toUserId);
    const moving = (outgoing?.slaLevels ?? []).filter((l: any) => l.documentId === handover.postDocumentId).map((l: any) => l.id);
    await q(UID.staffProfile).update({ where: { id: outgoing.id }, data: { slaLevels: outgoing.slaLevels.map((l: any) => l.id).filter((id: number) => !moving.includes(id)) } });
    await q(UID.staffProfile).update({ where: { id: incoming.id }, data: { slaLevels: [...new Set([...incoming.slaLevels.map((l: any) => l.id), ...moving])] } });
  }

  return {
    /** The offers a staff member made or received that are still open, and the last decided ones. */
    async mine(ctx: any) {
      const { userId } = stepUp().sessionOf(ctx)!;
      return q(UID.handover).findMany({ where: { $or: [{ fromUserId: userId }, { toUserId: userId }] }, orderBy: { id: 'desc' }, limit: 20 });
    },

    /** The outgoing holder offers their post to a named colleague. */
    async offer(ctx: any, body: { post?: unknown; postDocumentId?: unknown; toUserId?: unknown }) {
      const { userId } = stepUp().sessionOf(ctx)!;
      if (!POSTS.includes(body.post as Post) || typeof body.postDocumentId !== 'string' || !Number.isInteger(body.toUserId)) {
        throw new StepUpRefusal(400, ERROR.VALIDATION, `Send { post: ${POSTS.join(' | ')}, postDocumentId, toUserId }.`);
      }
      const kind = body.post as Post;
      const current = await holdersOf(kind, body.postDocumentId);
      if (!current) throw new StepUpRefusal(404, 'NOT_FOUND', 'No such post.');
      if (!current.holders.includes(userId)) throw new StepUpRefusal(403, ERROR.NOT_ALLOWED, 'Only the holder of a post may hand it over.');
      const toUserId = body.toUserId as number;
      const colleague = await q('admin::user').findOne({ where: { id: toUserId }, select: ['id', 'isActive'] });
      if (!colleague?.isActive || toUserId === userId || current.holders.includes(toUserId)) {
        throw new StepUpRefusal(422, ERROR.VALIDATION, 'Hand the post to another active staff member who does not hold it yet.');
      }
      if (kind === 'level_focal' && !(await profileOf(toUserId))) {
        throw new StepUpRefusal(422, ERROR.VALIDATION, 'The colleague needs an active staff profile (their departments and regions) before taking a focal post.');
      }
      await stepUp().require('post_handover', ctx);
      const open = await q(UID.handover).findOne({ where: { post: kind, postDocumentId: body.postDocumentId, state: 'offered', expiresAt: { $gt: new Date() } } });
      if (open) throw new StepUpRefusal(409, ERROR.HANDOVER_PENDING, 'This post is already offered to someone; withdraw that offer first.');
      const now = new Date();
      const handover = await q(UID.handover).create({
        data: { post: kind, postDocumentId: body.postDocumentId, postLabel: current.label, fromUserId: userId, toUserId, state: 'offered', offeredAt: now, expiresAt: new Date(now.getTime() + HANDOVER_DAYS * 86_400_000) },
      });
      await record(AUDIT.handoverOffered, handover);
      return handover;
    },

    /** The incoming colleague accepts: the post moves now, if the offer still stands and its maker still holds it. */
    async accept(ctx: any, id: number) {
      const { userId } = stepUp().sessionOf(ctx)!;
      const handover = await load(id);
      if (handover.toUserId !== userId) throw new StepUpRefusal(403, ERROR.NOT_ALLOWED, 'Only the colleague the post was offered to may accept it.');
      await stepUp().require('post_handover', ctx);
      return strapi.db.transaction(async () => {
        const current = await holdersOf(handover.post, handover.postDocumentId);
        if (!current?.holders.includes(handover.fromUserId)) {
          await q(UID.handover).update({ where: { id }, data: { state: 'withdrawn', decidedAt: new Date() } });
          throw new StepUpRefusal(409, ERROR.HANDOVER_CLOSED, 'The post changed hands since it was offered; the offer is void.');
        }
        // Conditional, so a double click or two tabs move the post once.
        const { count } = await q(UID.handover).updateMany({ where: { id, state: 'offered' }, data: { state: 'completed', decidedAt: new Date() } });
        if (count !== 1) throw new StepUpRefusal(409, ERROR.HANDOVER_CLOSED, 'This handover was decided meanwhile.');
        await transfer(handover);
        await record(AUDIT.handoverCompleted, handover);
        return { ...handover, state: 'completed' };
      });
    },

    /** The colleague declines, or the holder withdraws the offer; nothing moves. */
    async close(ctx: any, id: number) {
      const { userId } = stepUp().sessionOf(ctx)!;
      const handover = await load(id);
      const state = handover.toUserId === userId ? 'declined' : handover.fromUserId === userId ? 'withdrawn' : null;
      if (!state) throw new StepUpRefusal(403, ERROR.NOT_ALLOWED, 'Only the two people named in a handover may close it.');
      await q(UID.handover).updateMany({ where: { id, state: 'offered' }, data: { state, decidedAt: new Date() } });
      await record(state === 'declined' ? AUDIT.handoverDeclined : AUDIT.handoverWithdrawn, handover);
      return { ...handover, state };
    },

    /**
     * Setting a department's head in the content manager: a vacant post may be filled (after
     * the step-up the route guard asked for); an occupied one moves only by handover, except
     * by a super admin when the holder cannot take part (left, unreachable), which is audited.
     */
    async assertDirectHeadChange(ctx: any, departmentDocumentId: string) {
      const current = await holdersOf('department_head', departmentDocumentId);
      if (!current?.holders.length) return;
      const { userId } = stepUp().sessionOf(ctx) ?? { userId: 0 };
      const actor = await q('admin::user').findOne({ where: { id: userId }, populate: { roles: { select: ['code'] } } });
      if ((actor?.roles ?? []).some((r: { code: string }) => r.code === SUPER_ADMIN)) return;
      throw new StepUpRefusal(409, ERROR.HANDOVER_REQUIRED, 'This department has a head: the post passes by handover (the head offers it on the Security page, the successor accepts).');
    },
  };
};
