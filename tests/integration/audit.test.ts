/**
 * The audit trail: every capture path writes exactly one event, failures write none, the chain
 * stays unbroken under concurrent writes, and reading is scoped by role.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ADMIN_ROLES, DEMO_PASSWORD, startApp, TestApp } from '../helpers/app';
import { stepUp } from '../helpers/step-up';
import { auditAs, eventsAfter, lastSeq, sealed } from '../helpers/audit';
import { cmAs } from '../helpers/content-manager';
import { fileCase, workflowAs } from '../helpers/workflow';

let app: TestApp;
beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 6 });
});
afterAll(async () => {
  await app.stop();
});

const byCode = (uid: string, code: string) => app.strapi.db.query(uid as any).findOne({ where: { code, locale: 'en' } });
const connect = (row: { id: number; documentId: string }) => ({ connect: [{ id: row.id, documentId: row.documentId, locale: 'en' }] });

describe('capture: exactly one event per change', () => {
  it('a grievance filed in the content manager, with the citizen contact redacted', async () => {
    const cm = await cmAs(app, ADMIN_ROLES.intake);
    const project = await byCode('api::project.project', 'DIST');
    const category = await byCode('api::category.category', 'DIST-ROAD-DAMAGE');
    const before = await lastSeq(app);
    const res = await cm.create('api::grievance.grievance', {
      project: connect(project),
      category: connect(category),
      description: 'Pothole near the temple.',
      citizenPhone: '+919812345678',
    });
    expect(res.status).toBe(201);
    const events = await eventsAfter(app, before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'grievance.create',
      entityType: 'api::grievance.grievance',
      entityId: res.body.data.documentId,
      projectId: project.documentId,
      actorType: 'staff',
      actorLabel: 'Lata Joshi <intake@demo.local>',
      ip: expect.stringMatching(/127\.0\.0\.1/),
    });
    expect(events[0].diff.description).toEqual({ from: null, to: 'Pothole near the temple.' });
    expect(events[0].diff.citizenPhone).toEqual({ from: null, to: '[redacted]' });
    expect(JSON.stringify(events[0])).not.toContain('9812345678');
  });

  it('a refused grievance writes nothing', async () => {
    const cm = await cmAs(app, ADMIN_ROLES.intake);
    const before = await lastSeq(app);
    expect((await cm.create('api::grievance.grievance', { description: '' })).status).toBe(400);
    expect(await eventsAfter(app, before)).toHaveLength(0);
  });

  it('a configuration change, with what changed', async () => {
    const category = await byCode('api::category.category', 'DIST-STREETLIGHT');
    const cm = await cmAs(app, ADMIN_ROLES.superAdmin);
    const before = await lastSeq(app);
    const res = await cm.update('api::category.category', category.documentId, { name: 'Street light broken', defaultPriority: 'normal' });
    expect(res.status).toBe(200);
    const events = await eventsAfter(app, before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'category.update', entityId: category.documentId });
    expect(events[0].diff).toMatchObject({ name: { from: 'Street light not working', to: 'Street light broken' }, defaultPriority: { from: 'low', to: 'normal' } });
  });

  it('a workflow transition, and none for a refused one', async () => {
    const documentId = await fileCase(app, 'DIST-WATER-SUPPLY');
    const head = await workflowAs(app, ADMIN_ROLES.headWater);
    const before = await lastSeq(app);
    expect((await head.act(documentId, { action: 'acknowledge', version: 0 })).status).toBe(200);
    expect((await head.act(documentId, { action: 'acknowledge', version: 0 })).status).toBe(409);
    expect((await head.act(documentId, { action: 'reject', version: 1 })).status).toBe(400);
    const events = await eventsAfter(app, before);
    expect(events.map((e: any) => e.action)).toEqual(['workflow.acknowledge']);
    expect(events[0]).toMatchObject({ entityId: documentId, actorLabel: 'Harish Kumar <head.water@demo.local>' });
    expect(events[0].diff).toMatchObject({ caseStatus: { from: 'submitted', to: 'acknowledged' }, version: 1 });
  });

  it('staff logins, successful and failed, never with the password', async () => {
    const before = await lastSeq(app);
    expect((await app.http().post('/admin/login').send({ email: ADMIN_ROLES.viewer, password: DEMO_PASSWORD })).status).toBe(200);
    expect((await app.http().post('/admin/login').send({ email: ADMIN_ROLES.viewer, password: 'Wrong-Password-9' })).status).toBe(400);
    const events = await eventsAfter(app, before);
    expect(events.map((e: any) => e.action)).toEqual(['admin.login.success', 'admin.login.failure']);
    expect(events[0]).toMatchObject({ actorType: 'staff', actorLabel: 'Claire Martin <viewer@demo.local>' });
    expect(events[1]).toMatchObject({ actorType: 'anonymous', actorLabel: 'viewer@demo.local' });
    expect(JSON.stringify(events)).not.toContain('Wrong-Password-9');
  });

  it('a role change in the admin settings', async () => {
    const role = await app.strapi.service('admin::role').findOne({ code: 'grm-viewer' });
    const token = await app.tokenFor(ADMIN_ROLES.superAdmin);
    // Changing a role needs a step-up (docs/security.md), itself audited before this change.
    await stepUp(app, ADMIN_ROLES.superAdmin);
    const before = await lastSeq(app);
    const res = await app.http().put(`/admin/roles/${role.id}`).set('Authorization', `Bearer ${token}`).send({ name: role.name, description: 'Reviewers of the financing institution' });
    expect(res.status).toBe(200);
    const events = await eventsAfter(app, before);
    expect(events.map((e: any) => e.action)).toEqual(['admin.roles.update']);
    expect(events[0].diff.body).toMatchObject({ description: 'Reviewers of the financing institution' });
  });
});

describe('reading the trail', () => {
  it('filters by case, and scopes a project admin to their projects', async () => {
    const dist = await fileCase(app, 'DIST-HEALTH-SERVICE');
    const hway = await fileCase(app, 'HWAY-ACCESS');
    const viewer = await auditAs(app, ADMIN_ROLES.viewer);
    const forCase = await viewer.events({ entity: dist });
    expect(forCase.status).toBe(200);
    expect(forCase.body.data.map((e: any) => e.action)).toEqual(['grievance.create']);

    const projectAdmin = await auditAs(app, ADMIN_ROLES.projectAdmin);
    expect((await projectAdmin.events({ entity: dist })).body.data).toHaveLength(1);
    expect((await projectAdmin.events({ entity: hway })).body.data).toHaveLength(0);

    const officer = await auditAs(app, ADMIN_ROLES.officerWater);
    const refused = await officer.events();
    expect([refused.status, refused.body.error.details.code]).toEqual([403, 'NOT_ALLOWED']);
    const bad = await viewer.events({ from: 'yesterday' });
    expect([bad.status, bad.body.error.details.code]).toEqual([400, 'VALIDATION']);
    expect((await viewer.events({ colour: 'red' })).status).toBe(400);
  });

  it('exports a filtered range as CSV and JSON Lines, and records the export', async () => {
    const viewer = await auditAs(app, ADMIN_ROLES.viewer);
    const csv = await viewer.exportEvents({ format: 'csv', action: 'workflow.' });
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('seq,occurredAt,actorType,actorId,actorLabel,action,entityType,entityId,projectId,diff,ip,userAgent,prevHash,hash');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((l) => l.includes('workflow.'))).toBe(true);

    const jsonl = await viewer.exportEvents({ format: 'jsonl', action: 'workflow.' });
    const rows = jsonl.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => r.action).every((a: string) => a.startsWith('workflow.'))).toBe(true);
    await sealed(app);
    const last = await app.strapi.db.query('plugin::audit.audit-event' as any).findOne({ where: { seq: { $notNull: true } }, orderBy: { seq: 'desc' } });
    expect(last.action).toBe('audit.export');
  });
});

describe('the chain', () => {
  it('stays one unbroken chain under concurrent writes', async () => {
    const head = await workflowAs(app, ADMIN_ROLES.headWater);
    const cases = await Promise.all(Array.from({ length: 8 }, () => fileCase(app, 'DIST-WATER-QUALITY')));
    const cm = await cmAs(app, ADMIN_ROLES.superAdmin);
    const region = await byCode('api::region.region', 'DIST-B1-V1');
    await Promise.all([
      ...cases.map((documentId) => head.act(documentId, { action: 'acknowledge', version: 0 })),
      ...cases.map((documentId) => head.act(documentId, { action: 'note', note: 'Parallel note' })),
      ...[1, 2, 3].map((n) => cm.update('api::region.region', region.documentId, { name: `Amarpur ${n}` })),
    ]);
    const verified = await (await auditAs(app, ADMIN_ROLES.superAdmin)).verify();
    expect(verified.status).toBe(200);
    const total = await app.strapi.db.query('plugin::audit.audit-event' as any).count({});
    expect(verified.body.data).toMatchObject({ ok: true, checked: total });
    expect(verified.body.data.head.seq).toBe(total);
  });

  it('seals a request\'s events after its COMMIT with no reader asking, and those of an instance that died before sealing', async () => {
    const knex = app.strapi.db.connection;
    // Read straight from the table, without any reader of the chain (which would seal first).
    const placeOf = async (entityId: string) => (await knex('audit_events').where({ entity_id: entityId }).select('seq', 'hash'))[0];
    const eventually = async (entityId: string) => {
      for (let i = 0; i < 50; i += 1) {
        const row = await placeOf(entityId);
        if (row?.hash) return row;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return placeOf(entityId);
    };
    const documentId = await fileCase(app, 'DIST-WATER-QUALITY');
    const filed = await eventually(documentId);
    expect(filed.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(filed.seq)).toBeGreaterThan(0);

    // An event committed by an instance that stopped before its seal: nothing kicks the sealer.
    await app.strapi.db.query('plugin::audit.audit-event' as any).createMany({
      data: [{ occurredAt: new Date().toISOString(), actorType: 'system', actorLabel: 'an instance that died', action: 'test.orphan', entityId: 'orphan-event' }],
    });
    const orphan = await eventually('orphan-event');
    expect(orphan.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(orphan.seq)).toBeGreaterThan(Number(filed.seq));
    expect((await (await auditAs(app, ADMIN_ROLES.superAdmin)).verify()).body.data.ok).toBe(true);
  });

  it('npm run audit:verify reports the same, and the head endpoint gives the anchor to store', async () => {
    const api = await auditAs(app, ADMIN_ROLES.superAdmin);
    const head = (await api.head()).body.data;
    const script = path.resolve(__dirname, '../../dist/scripts/audit-verify.js');
    const run = spawnSync(process.execPath, [script, '--seq', String(head.seq), '--head', head.hash], { env: process.env, encoding: 'utf8' });
    expect(run.status).toBe(0);
    const printed = JSON.parse(run.stdout.trim().split('\n').pop()!);
    expect(printed).toMatchObject({ ok: true, head: { seq: head.seq, hash: head.hash } });
    expect(printed.checked).toBeGreaterThanOrEqual(head.seq);
  });
});
