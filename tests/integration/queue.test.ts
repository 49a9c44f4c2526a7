/**
 * The staff work queue, GET /cases/queue (docs/workflow.md, "The staff queue"): every staff role
 * sees exactly the cases the content manager shows them; the views, filters, search box and
 * keyset paging behave as a clerk under pressure would expect; bad parameters get a 400 naming
 * them; nothing of the citizen's identity is in a row.
 */
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { cmList } from '../helpers/content-manager';
import { userId, workflowAs } from '../helpers/workflow';

const GRIEVANCE = 'api::grievance.grievance';
const STAFF = [...Object.values(ADMIN_ROLES), 'head.roads@demo.local', 'focal.site@demo.local'];

let app: TestApp;
beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 8 });
});
afterAll(async () => {
  await app.stop();
});

async function queueAs(email: string, query: Record<string, string | number> = {}) {
  const token = await app.tokenFor(email);
  return app.http().get('/cases/queue').query(query).set('Authorization', `Bearer ${token}`);
}

/** Every row of a view, walking the cursor, with the pages it took. */
async function walk(email: string, query: Record<string, string | number> = {}) {
  const rows: any[] = [];
  let after: string | undefined;
  let pages = 0;
  do {
    const res = await queueAs(email, { ...query, ...(after ? { after } : {}) });
    expect(res.status).toBe(200);
    rows.push(...res.body.data);
    after = res.body.meta.next ?? undefined;
    pages += 1;
  } while (after && pages < 200);
  return { rows, pages };
}

async function cmIds(email: string): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page += 1) {
    const res = await cmList(app, email, GRIEVANCE, { page, pageSize: 100 });
    if (res.status === 403) return [];
    expect(res.status).toBe(200);
    ids.push(...res.body.results.map((r: any) => r.documentId));
    if (page >= res.body.pagination.pageCount) return ids;
  }
}

const submit = (body: Record<string, unknown>) => app.http().post('/api/grievances/submit').send({ data: { project: 'DIST', category: 'DIST-WATER-SUPPLY', ...body } });

describe('scope', () => {
  it.each(STAFF)('%s sees in view=all exactly the cases the content manager lists', async (email) => {
    const expected = (await cmIds(email)).sort();
    const res = await queueAs(email, { view: 'all' });
    if (expected.length === 0 && res.status === 403) return;
    const { rows } = await walk(email, { view: 'all', pageSize: 100 });
    expect(rows.map((r) => r.documentId).sort()).toEqual(expected);
    expect(res.body.meta).toMatchObject({ count: expected.length, countIsEstimate: false });
  });

  it('refuses anonymous callers and API-token-less requests', async () => {
    expect((await app.http().get('/cases/queue')).status).toBe(401);
  });

  it('never carries the citizen identity, the secret or internal fields in a row', async () => {
    const phone = '+91 98700 11223';
    expect((await submit({ description: 'Queue privacy probe: tap dry', citizen: { name: 'Asha Queue', phone, email: 'asha.queue@example.org' } })).status).toBe(201);
    const res = await queueAs(ADMIN_ROLES.superAdmin, { pageSize: 100 });
    const text = JSON.stringify(res.body);
    for (const leak of ['Asha Queue', '98700', 'asha.queue', 'secretHash', 'citizenPhoneIndex', 'citizenName', 'description', 'intakeAnalysis']) expect(text).not.toContain(leak);
  });
});

describe('views', () => {
  it('mine: the open cases assigned to me, and nobody else’s', async () => {
    const officer = await userId(app, ADMIN_ROLES.officerWater);
    const head = await workflowAs(app, ADMIN_ROLES.headWater);
    const filed = await submit({ description: 'Queue: my assigned case' });
    const code = filed.body.data.trackingCode;
    const documentId = (await app.strapi.db.query(GRIEVANCE as any).findOne({ where: { trackingCode: code } })).documentId;
    expect((await head.act(documentId, { action: 'acknowledge', version: 0 })).status).toBe(200);
    expect((await head.act(documentId, { action: 'assign', version: 1, assignee: officer })).status).toBe(200);

    const { rows } = await walk(ADMIN_ROLES.officerWater, { view: 'mine', pageSize: 50 });
    expect(rows.map((r) => r.trackingCode)).toContain(code);
    expect(rows.every((r) => r.assignee?.id === officer && !['resolved', 'closed', 'rejected'].includes(r.status))).toBe(true);
    // The Roads officer's queue does not hold it.
    expect((await walk(ADMIN_ROLES.officerRoads, { view: 'mine', pageSize: 50 })).rows.map((r) => r.trackingCode)).not.toContain(code);
  });

  it('unassigned, overdue and department hold only what their names say', async () => {
    const unassigned = (await walk(ADMIN_ROLES.superAdmin, { view: 'unassigned', pageSize: 100 })).rows;
    expect(unassigned.length).toBeGreaterThan(0);
    expect(unassigned.every((r) => r.assignee === null && !['resolved', 'closed', 'rejected'].includes(r.status))).toBe(true);

    const overdue = (await walk(ADMIN_ROLES.superAdmin, { view: 'overdue', pageSize: 100 })).rows;
    const breachedOpen = await app.strapi.db.query(GRIEVANCE as any).count({ where: { slaState: 'breached', caseStatus: { $notIn: ['resolved', 'closed', 'rejected'] } } });
    expect(overdue).toHaveLength(breachedOpen);
    expect(overdue.every((r) => r.slaState === 'breached')).toBe(true);

    const water = (await walk(ADMIN_ROLES.headWater, { view: 'department', pageSize: 100 })).rows;
    expect(water.length).toBeGreaterThan(0);
    expect(new Set(water.map((r) => r.department?.code))).toEqual(new Set(['WATER']));
    // Staff with no department have an empty department view, not everyone's.
    const admin = await queueAs(ADMIN_ROLES.superAdmin, { view: 'department' });
    expect(admin.status).toBe(200);
    expect(admin.body.data).toEqual([]);
  });
});

describe('a changed staff profile', () => {
  it('counts from the next request: scope is read once per request, never kept across requests', async () => {
    const profiles = app.strapi.db.query('api::staff-profile.staff-profile' as any);
    const profile = await profiles.findOne({ where: { email: ADMIN_ROLES.headWater }, populate: { departments: true, projects: true } });
    const before = (await walk(ADMIN_ROLES.headWater, { view: 'department', pageSize: 100 })).rows;
    expect(before.length).toBeGreaterThan(0);
    await profiles.update({ where: { id: profile.id }, data: { departments: [], projects: [] } });
    try {
      const after = await queueAs(ADMIN_ROLES.headWater, { view: 'department' });
      expect(after.body.data ?? []).toEqual([]);
      const all = await queueAs(ADMIN_ROLES.headWater, { view: 'all', pageSize: 100 });
      expect(all.body.data ?? []).toEqual([]);
    } finally {
      await profiles.update({ where: { id: profile.id }, data: { departments: profile.departments.map((d: any) => d.id), projects: profile.projects.map((p: any) => p.id) } });
    }
    expect((await walk(ADMIN_ROLES.headWater, { view: 'department', pageSize: 100 })).rows.map((r) => r.documentId).sort()).toEqual(before.map((r) => r.documentId).sort());
  });
});

describe('filters', () => {
  it('narrow by status, priority, channel, level, category, department (code or id) and dates', async () => {
    const all = (await walk(ADMIN_ROLES.superAdmin, { pageSize: 100 })).rows;
    const some = all.find((r) => r.department)!;
    const byStatus = (await walk(ADMIN_ROLES.superAdmin, { status: some.status, pageSize: 100 })).rows;
    expect(byStatus.length).toBe(all.filter((r) => r.status === some.status).length);

    const byDeptCode = (await walk(ADMIN_ROLES.superAdmin, { department: some.department.code, pageSize: 100 })).rows;
    const byDeptId = (await walk(ADMIN_ROLES.superAdmin, { department: some.department.documentId, pageSize: 100 })).rows;
    expect(byDeptCode.map((r) => r.documentId)).toEqual(byDeptId.map((r) => r.documentId));
    expect(byDeptCode.every((r) => r.department.code === some.department.code)).toBe(true);

    const combined = (await walk(ADMIN_ROLES.superAdmin, { priority: 'high,urgent', channel: 'web', level: '0', category: some.category.code, pageSize: 100 })).rows;
    expect(combined.every((r) => ['high', 'urgent'].includes(r.priority) && r.channel === 'web' && r.level === 0 && r.category.code === some.category.code)).toBe(true);

    const day = some.submittedAt.slice(0, 10);
    const sameDay = (await walk(ADMIN_ROLES.superAdmin, { from: day, to: day, pageSize: 100 })).rows;
    expect(sameDay.map((r) => r.documentId)).toContain(some.documentId);
    expect(sameDay.every((r) => r.submittedAt.slice(0, 10) === day)).toBe(true);
  });

  it('answer 400 VALIDATION naming each bad parameter, and change nothing', async () => {
    const res = await queueAs(ADMIN_ROLES.headWater, { view: 'everything', status: 'lost', pageSize: 0, after: 'forged', orderBy: 'id' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.code).toBe('VALIDATION');
    expect(res.body.error.details.errors.map((e: any) => e.path[0]).sort()).toEqual(['after', 'orderBy', 'pageSize', 'status', 'view']);
    const injected = await app.http().get('/cases/queue?status[$ne]=closed&department[$or][0][id]=1').set('Authorization', `Bearer ${await app.tokenFor(ADMIN_ROLES.headWater)}`);
    expect(injected.status).toBe(400);
  });
});

describe('the search box', () => {
  it('finds a case by its whole tracking code in lower case, and by the start of it', async () => {
    const filed = await submit({ description: 'Queue search by code' });
    const code: string = filed.body.data.trackingCode;
    const exact = await queueAs(ADMIN_ROLES.headWater, { q: ` ${code.toLowerCase()} ` });
    expect(exact.body.data.map((r: any) => r.trackingCode)).toEqual([code]);
    const prefix = (await walk(ADMIN_ROLES.superAdmin, { q: code.slice(0, 13), pageSize: 100 })).rows;
    expect(prefix.map((r) => r.trackingCode)).toContain(code);
    expect(prefix.every((r) => r.trackingCode.startsWith(code.slice(0, 13)))).toBe(true);
  });

  it('finds a case by the phone number however it is written, through the blind index', async () => {
    const filed = await submit({ description: 'Queue search by phone', citizen: { phone: '+91 98111 22334' } });
    const code = filed.body.data.trackingCode;
    for (const typed of ['9811122334', '098111 22334', '+91-98111-22334']) {
      const res = await queueAs(ADMIN_ROLES.headWater, { q: typed });
      expect(res.body.data.map((r: any) => r.trackingCode)).toEqual([code]);
    }
    // A role that may not read phone numbers cannot find a case by one.
    const viewer = await queueAs(ADMIN_ROLES.viewer, { q: '9811122334' });
    const viewerMayReadPhones = (await cmList(app, ADMIN_ROLES.viewer, GRIEVANCE)).body.results?.some((r: any) => 'citizenPhone' in r);
    if (!viewerMayReadPhones) expect(viewer.body.data ?? []).toEqual([]);
  });

  it('finds words of the description in any case, all words required, only within scope', async () => {
    const water = await submit({ description: 'Queue words: GREENISH water from the standpipe' });
    const roads = await app.http().post('/api/grievances/submit').send({ data: { project: 'HWAY', category: (await app.strapi.db.query('api::category.category' as any).findOne({ where: { project: { code: 'HWAY' }, sensitive: false, locale: 'en' } })).code, description: 'Queue words: greenish paint on the highway barrier' } });
    expect(roads.status).toBe(201);
    const both = (await walk(ADMIN_ROLES.superAdmin, { q: 'greenish', pageSize: 100 })).rows.map((r) => r.trackingCode);
    expect(both).toEqual(expect.arrayContaining([water.body.data.trackingCode, roads.body.data.trackingCode]));
    expect((await walk(ADMIN_ROLES.superAdmin, { q: 'greenish standpipe', pageSize: 100 })).rows.map((r) => r.trackingCode)).toEqual([water.body.data.trackingCode]);
    // The Water head's scope is DIST: the HWAY case never appears for him.
    expect((await walk(ADMIN_ROLES.headWater, { q: 'greenish', pageSize: 100 })).rows.map((r) => r.trackingCode)).toEqual([water.body.data.trackingCode]);
  });
});

describe('keyset paging', () => {
  it('walks every case once, newest first, and a case filed mid-walk neither repeats nor shifts a row', async () => {
    const whole = (await walk(ADMIN_ROLES.superAdmin, { pageSize: 100 })).rows.map((r) => r.documentId);
    const first = await queueAs(ADMIN_ROLES.superAdmin, { pageSize: 3 });
    expect((await submit({ description: 'Queue: filed while someone pages' })).status).toBe(201);
    const rest = await walk(ADMIN_ROLES.superAdmin, { pageSize: 3, after: first.body.meta.next });
    const walked = [...first.body.data, ...rest.rows];
    expect(walked.map((r: any) => r.documentId)).toEqual(whole);
    const times = walked.map((r: any) => Date.parse(r.submittedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });
});

describe('the old workflow paths', () => {
  it('keep answering under /workflow as under /cases', async () => {
    const token = await app.tokenFor(ADMIN_ROLES.headWater);
    const filed = await submit({ description: 'Queue: alias probe' });
    const documentId = (await app.strapi.db.query(GRIEVANCE as any).findOne({ where: { trackingCode: filed.body.data.trackingCode } })).documentId;
    const viaCases = await app.http().get(`/cases/grievances/${documentId}/actions`).set('Authorization', `Bearer ${token}`);
    const viaWorkflow = await app.http().get(`/workflow/grievances/${documentId}/actions`).set('Authorization', `Bearer ${token}`);
    expect(viaCases.status).toBe(200);
    expect(viaWorkflow.body).toEqual(viaCases.body);
  });
});

describe('exporting a view', () => {
  const exportAs = async (email: string, query: Record<string, string | number> = {}) =>
    app.http().get('/cases/queue/export').query(query).set('Authorization', `Bearer ${await app.tokenFor(email)}`).buffer(true)
      .parse((res: any, done: (error: Error | null, body: string) => void) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      });
  /** Tracking codes of a CSV answer, in order (the code is the first column and never quoted). */
  const codesOf = (csv: string) => csv.trim().split('\n').slice(1).map((line) => line.split(',')[0]);

  it.each([ADMIN_ROLES.officerWater, ADMIN_ROLES.headWater, ADMIN_ROLES.projectAdmin, ADMIN_ROLES.viewer, 'focal.site@demo.local'])(
    '%s gets every case of the view the list walks, in the same order, and nothing else',
    async (email) => {
      for (const query of [{ view: 'all' }, { view: 'department' }, { view: 'all', status: 'submitted,acknowledged', priority: 'high,urgent,normal' }, { view: 'all', q: 'water' }]) {
        const res = await exportAs(email, query);
        const { rows } = await walk(email, { ...query, pageSize: 100 });
        expect([email, query, res.status]).toEqual([email, query, 200]);
        expect(res.headers['content-type']).toMatch(/^text\/csv/);
        expect(res.headers['content-disposition']).toMatch(/^attachment; filename="cases-/);
        expect(codesOf(res.body)).toEqual(rows.map((r: any) => r.trackingCode));
      }
    }
  );

  it('has the columns it promises, with names and dates as the list shows them, and no citizen identity', async () => {
    const res = await exportAs(ADMIN_ROLES.projectAdmin, { view: 'all' });
    const [header, first] = res.body.trim().split('\n');
    expect(header).toBe('Tracking code,Project,Category,Department,Status,Priority,SLA,Level,Channel,Received,Due,Resolved');
    const { rows } = await walk(ADMIN_ROLES.projectAdmin, { view: 'all', pageSize: 1 });
    const row = rows[0];
    expect(first.startsWith(`${row.trackingCode},${row.project.code},`)).toBe(true);
    expect(first).toContain(row.submittedAt);
    expect(res.body).not.toMatch(/\+91|enc:v1|citizen/i);
  });

  it('refuses other formats, paging parameters and bad filters with 400 naming them, and anyone without a login', async () => {
    for (const [query, path] of [[{ format: 'xlsx' }, 'format'], [{ pageSize: 10 }, 'pageSize'], [{ after: 'x' }, 'after'], [{ status: 'nope' }, 'status'], [{ view: 'everything' }, 'view']] as Array<[Record<string, string | number>, string]>) {
      const res = await exportAs(ADMIN_ROLES.headWater, query);
      expect([query, res.status]).toEqual([query, 400]);
      expect(JSON.parse(res.body).error.details.errors.map((e: any) => e.path[0])).toContain(path);
    }
    expect((await app.http().get('/cases/queue/export')).status).toBe(401);
  });

  it('is audited with its row count, and the search words are not kept', async () => {
    const res = await exportAs(ADMIN_ROLES.headWater, { view: 'all', q: 'water' });
    expect(res.status).toBe(200);
    const exported = codesOf(res.body).length;
    let entry: any = null;
    for (let i = 0; i < 50 && !entry; i += 1) {
      const rows = await app.strapi.db.connection('audit_events').where({ action: 'cases.exported' }).orderBy('seq', 'desc').limit(1);
      const diff = rows[0] ? (typeof rows[0].diff === 'string' ? JSON.parse(rows[0].diff) : rows[0].diff) : null;
      if (diff?.source === 'queue' && diff?.search === 'words') entry = diff;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(entry).toMatchObject({ source: 'queue', view: 'all', rows: exported, by: ADMIN_ROLES.headWater });
    expect(JSON.stringify({ ...entry, by: null })).not.toContain('water');
  });
});
