import { DomainError } from './errors';
import { IntakeCategory, IntakeContext, prepareGrievance, validateIntake } from './intake';

const project = { documentId: 'p1', code: 'DIST', timezone: 'Asia/Kolkata' };
const category: IntakeCategory = {
  documentId: 'c1',
  projectDocumentId: 'p1',
  defaultDepartmentDocumentId: 'd-water',
  defaultPriority: 'high',
  sensitive: false,
};
const ctx = (over: Partial<IntakeContext> = {}): IntakeContext => ({
  project,
  category,
  now: new Date('2026-05-01T10:00:00Z'),
  ...over,
});

const refusal = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a refusal');
};

describe('prepareGrievance', () => {
  it('starts every case as submitted, version 0, level 1, on track, with a code of the project and day', () => {
    const fields = prepareGrievance({ description: 'No water' }, ctx());
    expect(fields).toMatchObject({ caseStatus: 'submitted', version: 0, escalationLevel: 1, slaState: 'on_track', submittedAt: '2026-05-01T10:00:00.000Z' });
    expect(fields.trackingCode).toMatch(/^DIST-20260501-/);
  });

  it("takes priority and department from the category unless given", () => {
    expect(prepareGrievance({ description: 'x' }, ctx())).toMatchObject({ priority: 'high', departmentDocumentId: 'd-water' });
    expect(prepareGrievance({ description: 'x', priority: 'low', departmentDocumentId: 'd-roads' }, ctx())).toMatchObject({
      priority: 'low',
      departmentDocumentId: 'd-roads',
    });
  });

  it('makes a case sensitive when its category is, whatever the input says', () => {
    const sensitive = { ...category, sensitive: true };
    expect(prepareGrievance({ description: 'x', sensitive: false }, ctx({ category: sensitive })).sensitive).toBe(true);
    expect(prepareGrievance({ description: 'x' }, ctx()).sensitive).toBe(false);
  });

});

describe('validateIntake', () => {
  it('names every missing field at once', () => {
    const error = refusal(() => validateIntake({ description: ' ' }, { project: null, category: null }));
    expect(error.code).toBe('VALIDATION');
    expect(error.errors.map((e) => e.path[0])).toEqual(['project', 'category', 'description']);
  });

  it('refuses a category of another project', () => {
    const error = refusal(() => validateIntake({ description: 'x' }, { project, category: { ...category, projectDocumentId: 'p2' } }));
    expect(error.errors).toEqual([{ path: ['category'], message: 'This category belongs to another project.' }]);
  });

  it('refuses unknown channels and priorities', () => {
    const error = refusal(() => validateIntake({ description: 'x', channel: 'pigeon', priority: 'asap' }, { project, category }));
    expect(error.errors.map((e) => e.path[0])).toEqual(['channel', 'priority']);
  });
});
