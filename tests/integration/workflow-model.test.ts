/**
 * Model-based test: random sequences of actions by random staff roles, sent over HTTP, against
 * a small independent model of docs/workflow.md. After every step the stored case equals the model,
 * and every step the model calls illegal was refused with the model's code and changed nothing.
 */
import fc from 'fast-check';
import { ADMIN_ROLES, startApp, TestApp } from '../helpers/app';
import { caseRow, fileCase, userId, workflowAs } from '../helpers/workflow';
import { stepUp } from '../helpers/step-up';

let app: TestApp;
let officerId: number;
beforeAll(async () => {
  app = await startApp({ grievancesPerProject: 4 });
  officerId = await userId(app, ADMIN_ROLES.officerWater);
  // Rejecting needs a step-up (docs/security.md): the managers confirm it is them once.
  for (const email of [ADMIN_ROLES.headWater, ADMIN_ROLES.projectAdmin, ADMIN_ROLES.superAdmin]) await stepUp(app, email);
});
afterAll(async () => {
  await app.stop();
});

type Who = 'head' | 'officer' | 'intake' | 'viewer' | 'projectAdmin' | 'superAdmin';
const EMAIL: Record<Who, string> = {
  head: ADMIN_ROLES.headWater,
  officer: ADMIN_ROLES.officerWater,
  intake: ADMIN_ROLES.intake,
  viewer: ADMIN_ROLES.viewer,
  projectAdmin: ADMIN_ROLES.projectAdmin,
  superAdmin: ADMIN_ROLES.superAdmin,
};
type Act = 'acknowledge' | 'reject' | 'assign' | 'start' | 'escalate' | 'resolve' | 'close' | 'note';

interface Model {
  status: string;
  version: number;
  level: number;
  assigned: boolean;
}
interface Real {
  documentId: string;
}

const MANAGERS: Who[] = ['head', 'projectAdmin', 'superAdmin'];
/** The lifecycle table, written out again independently of the plugin. */
const RULES: Record<Act, { from: string[]; to: string | null; who: (m: Model) => Who[] }> = {
  acknowledge: { from: ['submitted'], to: 'acknowledged', who: () => ['intake', ...MANAGERS] },
  reject: { from: ['submitted', 'acknowledged'], to: 'rejected', who: () => MANAGERS },
  assign: { from: ['acknowledged', 'escalated', 'assigned'], to: 'assigned', who: () => MANAGERS },
  start: { from: ['assigned'], to: 'in_progress', who: (m) => (m.assigned ? ['officer'] : []) },
  escalate: { from: ['acknowledged', 'assigned', 'in_progress', 'escalated'], to: 'escalated', who: () => MANAGERS },
  resolve: { from: ['in_progress', 'escalated'], to: 'resolved', who: (m) => [...MANAGERS, ...(m.assigned ? (['officer'] as Who[]) : [])] },
  close: { from: ['resolved'], to: 'closed', who: () => MANAGERS },
  note: { from: ['submitted', 'acknowledged', 'assigned', 'in_progress', 'escalated', 'resolved', 'closed', 'rejected'], to: null, who: (m) => ['intake', ...MANAGERS, ...(m.assigned ? (['officer'] as Who[]) : [])] },
};
const LEVELS = 3; // the district project's ladder

function expected(model: Model, act: Act, who: Who): { status: number; code?: string } {
  // An officer sees only cases assigned to them; nothing else about the case reaches them.
  if (who === 'officer' && !model.assigned) return { status: 403, code: 'NOT_ALLOWED' };
  const rule = RULES[act];
  if (!rule.from.includes(model.status)) return { status: 422, code: 'ILLEGAL_TRANSITION' };
  if (!rule.who(model).includes(who)) return { status: 403, code: 'NOT_ALLOWED' };
  if (act === 'escalate' && model.level >= LEVELS) return { status: 422, code: 'ILLEGAL_TRANSITION' };
  return { status: 200 };
}

class Step implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly act: Act,
    readonly who: Who
  ) {}
  check() {
    return true;
  }
  async run(model: Model, real: Real) {
    const client = await workflowAs(app, EMAIL[this.who]);
    const body: Record<string, unknown> = { action: this.act, version: model.version };
    if (this.act === 'reject') body.reason = 'Outside the mechanism.';
    if (this.act === 'resolve') body.resolution = 'Fixed.';
    if (this.act === 'note') body.note = 'Checked.';
    if (this.act === 'assign') body.assignee = officerId;
    const res = await client.act(real.documentId, body);
    const want = expected(model, this.act, this.who);
    expect([this.act, this.who, res.status, res.body.error?.details?.code]).toEqual([this.act, this.who, want.status, want.code]);
    if (want.status === 200) {
      const rule = RULES[this.act];
      if (rule.to) {
        model.status = rule.to;
        model.version += 1;
      }
      if (this.act === 'assign') model.assigned = true;
      if (this.act === 'escalate') model.level += 1;
    }
    const row = await caseRow(app, real.documentId);
    expect({ status: row.caseStatus, version: row.version, level: row.escalationLevel, assigned: row.assignee?.id === officerId }).toEqual(model);
  }
  toString() {
    return `${this.who}:${this.act}`;
  }
}

it('the stored case always equals the model, and every illegal step is refused', async () => {
  const acts: Act[] = ['acknowledge', 'reject', 'assign', 'start', 'escalate', 'resolve', 'close', 'note'];
  const whos = Object.keys(EMAIL) as Who[];
  const commands = fc.commands(
    [fc.record({ act: fc.constantFrom(...acts), who: fc.constantFrom(...whos) }).map(({ act, who }) => new Step(act, who))],
    { maxCommands: 14 }
  );
  await fc.assert(
    fc.asyncProperty(commands, async (steps) => {
      const documentId = await fileCase(app, 'DIST-WATER-SUPPLY', 'Model-based run');
      await fc.asyncModelRun(() => ({ model: { status: 'submitted', version: 0, level: 1, assigned: false }, real: { documentId } }), steps);
    }),
    { numRuns: 25, seed: Number(process.env.FC_SEED ?? 20261121) }
  );
});
