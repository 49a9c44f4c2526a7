/**
 * Handing over a post (docs/security.md): a department's head or an SLA level's focal post moves
 * only when the outgoing holder offers it and the incoming colleague accepts, each after a
 * step-up; one transaction moves it, once; an occupied head post cannot be reassigned around it.
 */
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { cmAs } from '../helpers/content-manager';
import { stepUp } from '../helpers/step-up';
import { userId } from '../helpers/workflow';

let app: TestApp;
const DEPARTMENT = 'api::department.department';

const as = async (email: string) => {
  const token = await app.tokenFor(email);
  return (req: any) => req.set('Authorization', `Bearer ${token}`);
};
const headsOf = async (documentId: string) =>
  (await app.strapi.db.query(DEPARTMENT as any).findMany({ where: { documentId }, populate: { head: { select: ['id'] } } })).map((d: any) => d.head?.id ?? null);
const audited = async (action: string) => app.strapi.db.connection('audit_events').where({ action }).count({ n: '*' }).first();

beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 2 });
});

afterAll(async () => {
  await app?.stop();
});

it('moves a head post when the head offers it and the successor accepts, both after a step-up, and only once', async () => {
  const water = await app.strapi.db.query(DEPARTMENT as any).findOne({ where: { code: 'WATER' }, populate: { head: true } });
  const headId = await userId(app, ADMIN_ROLES.headWater);
  const successor = await userId(app, ADMIN_ROLES.officerWater);
  expect(water.head.id).toBe(headId);

  const head = await as(ADMIN_ROLES.headWater);
  const offer = { post: 'department_head', postDocumentId: water.documentId, toUserId: successor };
  const refused = await head(app.http().post('/security/handovers')).send(offer);
  expect([refused.status, refused.body.error.details.code]).toEqual([403, 'STEP_UP_REQUIRED']);
  // Someone who does not hold the post cannot offer it, step-up or not.
  await stepUp(app, ADMIN_ROLES.projectAdmin);
  const stranger = await (await as(ADMIN_ROLES.projectAdmin))(app.http().post('/security/handovers')).send(offer);
  expect([stranger.status, stranger.body.error.details.code]).toEqual([403, 'NOT_ALLOWED']);

  await stepUp(app, ADMIN_ROLES.headWater);
  const offered = await head(app.http().post('/security/handovers')).send(offer);
  expect(offered.status).toBe(200);
  expect(offered.body.data).toMatchObject({ state: 'offered', fromUserId: headId, toUserId: successor, postLabel: expect.stringMatching(/^Head of /) });
  const id = offered.body.data.id;
  // One open offer per post.
  expect((await head(app.http().post('/security/handovers')).send({ ...offer, toUserId: await userId(app, ADMIN_ROLES.officerRoads) })).body.error.details.code).toBe('HANDOVER_PENDING');
  // Nothing has moved yet.
  expect(new Set(await headsOf(water.documentId))).toEqual(new Set([headId]));

  const incoming = await as(ADMIN_ROLES.officerWater);
  const listed = await incoming(app.http().get('/security/handovers'));
  expect(listed.body.data.map((h: any) => h.id)).toContain(id);
  const notYet = await incoming(app.http().post(`/security/handovers/${id}/accept`));
  expect([notYet.status, notYet.body.error.details.code]).toEqual([403, 'STEP_UP_REQUIRED']);
  // Only the named colleague may accept.
  expect((await (await as(ADMIN_ROLES.projectAdmin))(app.http().post(`/security/handovers/${id}/accept`))).status).toBe(403);

  await stepUp(app, ADMIN_ROLES.officerWater);
  const [first, second] = await Promise.all([incoming(app.http().post(`/security/handovers/${id}/accept`)), incoming(app.http().post(`/security/handovers/${id}/accept`))]);
  expect([first.status, second.status].sort()).toEqual([200, 409]);
  expect(new Set(await headsOf(water.documentId))).toEqual(new Set([successor]));
  expect(Number((await audited('security.handover_offered'))!.n)).toBe(1);
  expect(Number((await audited('security.handover_completed'))!.n)).toBe(1);
});

it('keeps an occupied head post out of direct edits, except by a super admin, and lets a vacant one be filled', async () => {
  await stepUp(app, ADMIN_ROLES.projectAdmin);
  const cm = await cmAs(app, ADMIN_ROLES.projectAdmin);
  const roads = await app.strapi.db.query(DEPARTMENT as any).findOne({ where: { code: 'ROADS', locale: 'en' }, populate: { head: true } });
  expect(roads.head).toBeTruthy();
  const someone = await userId(app, ADMIN_ROLES.officerRoads);
  const direct = await cm.update(DEPARTMENT, roads.documentId, { head: { connect: [{ id: someone }] } });
  expect([direct.status, direct.body.error.details.code]).toEqual([409, 'HANDOVER_REQUIRED']);
  expect((await headsOf(roads.documentId)).every((h: number) => h === roads.head.id)).toBe(true);

  // Leave the department vacant (as after someone left), then the project admin may fill it.
  for (const row of await app.strapi.db.query(DEPARTMENT as any).findMany({ where: { documentId: roads.documentId }, select: ['id'] })) {
    await app.strapi.db.query(DEPARTMENT as any).update({ where: { id: row.id }, data: { head: null } });
  }
  const filled = await cm.update(DEPARTMENT, roads.documentId, { head: { connect: [{ id: someone }] } });
  expect(filled.status).toBe(200);
  expect((await app.strapi.db.query(DEPARTMENT as any).findOne({ where: { id: roads.id }, populate: { head: true } })).head.id).toBe(someone);

  // A super admin may move an occupied post when its holder cannot take part (after a step-up).
  await stepUp(app, ADMIN_ROLES.superAdmin);
  const admin = await cmAs(app, ADMIN_ROLES.superAdmin);
  const forced = await admin.update(DEPARTMENT, roads.documentId, { head: { connect: [{ id: roads.head.id }] } });
  expect(forced.status).toBe(200);
});

it("moves an SLA level's focal post between staff profiles, and nothing when the colleague declines", async () => {
  const profiles = await app.strapi.db.query('api::staff-profile.staff-profile' as any).findMany({ where: { active: true }, populate: { user: { select: ['id', 'email'] }, slaLevels: { select: ['id', 'documentId'] } } });
  const holder = profiles.find((p: any) => p.slaLevels.length > 0 && Object.values(ADMIN_ROLES).includes(p.user?.email));
  expect(holder).toBeTruthy();
  const level = holder.slaLevels[0];
  const colleague = profiles.find((p: any) => p.user && p.user.id !== holder.user.id && !p.slaLevels.some((l: any) => l.documentId === level.documentId) && Object.values(ADMIN_ROLES).includes(p.user.email) && p.user.email !== holder.user.email);
  expect(colleague).toBeTruthy();

  await stepUp(app, holder.user.email);
  const from = await as(holder.user.email);
  const offer = { post: 'level_focal', postDocumentId: level.documentId, toUserId: colleague.user.id };
  const declinedOffer = await from(app.http().post('/security/handovers')).send(offer);
  expect(declinedOffer.status).toBe(200);
  const to = await as(colleague.user.email);
  const declined = await to(app.http().post(`/security/handovers/${declinedOffer.body.data.id}/close`));
  expect(declined.body.data.state).toBe('declined');
  const levelsOf = async (profileId: number) =>
    (await app.strapi.db.query('api::staff-profile.staff-profile' as any).findOne({ where: { id: profileId }, populate: { slaLevels: { select: ['documentId'] } } })).slaLevels.map((l: any) => l.documentId);
  expect(await levelsOf(holder.id)).toContain(level.documentId);

  const offered = await from(app.http().post('/security/handovers')).send(offer);
  expect(offered.status).toBe(200);
  await stepUp(app, colleague.user.email);
  const accepted = await to(app.http().post(`/security/handovers/${offered.body.data.id}/accept`));
  expect(accepted.status).toBe(200);
  expect(await levelsOf(holder.id)).not.toContain(level.documentId);
  expect(await levelsOf(colleague.id)).toContain(level.documentId);
  // Decided offers stay decided.
  expect((await to(app.http().post(`/security/handovers/${offered.body.data.id}/close`))).body.error.details.code).toBe('HANDOVER_CLOSED');
});
