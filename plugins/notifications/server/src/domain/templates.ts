/**
 * Notification templates: Handlebars with a fixed set of variables and helpers, checked when a
 * template is saved (syntax, unknown variables, unknown helpers, SMS length) and rendered with
 * the case's data in the recipient's language and the project's time zone.
 *
 * E-mail bodies are HTML and escape every variable by default; SMS, WhatsApp and in-app texts
 * are plain text (nothing to escape) and SMS is cut to a length limit.
 */
import Handlebars from 'handlebars';
import { DateTime } from 'luxon';

export type Channel = 'email' | 'sms' | 'whatsapp' | 'in_app';

/** Every variable a template may use. Dates are ISO strings: show them with `formatDate`. */
export const TEMPLATE_VARIABLES = [
  'trackingCode',
  'projectName',
  'category',
  'department',
  'status',
  'level',
  'levelName',
  'submittedAt',
  'acknowledgeBy',
  'resolveBy',
  'dueAt',
  'resolution',
  'reason',
  'note',
  'actor',
  'toDepartment',
  'decision',
  'rating',
  'autoCloseDays',
  'appealWindowDays',
  'recipientName',
  'trackingUrl',
  'feedbackUrl',
  'roadmap',
] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
/** Variables inside `{{#each roadmap}}`. */
const ROADMAP_FIELDS = ['step', 'by'];
export const TEMPLATE_HELPERS = ['formatDate', 'statusLabel', 'trackingLink', 'feedbackLink'] as const;

/** An SMS of up to three concatenated parts (153 GSM characters each, fewer in Unicode). */
export const SMS_MAX_LENGTH = 459;

export interface TemplateProblem {
  field: 'subject' | 'body';
  line: number;
  name: string;
  message: string;
}

export interface RenderContext {
  values: Partial<Record<TemplateVariable, unknown>>;
  locale: string;
  timeZone: string;
  /** Status labels in the recipient's language. */
  statusLabels: Record<string, string>;
}

const DATE_STYLES: Record<string, Intl.DateTimeFormatOptions> = {
  short: DateTime.DATE_SHORT,
  medium: DateTime.DATE_MED,
  long: DateTime.DATE_FULL,
  datetime: DateTime.DATETIME_MED,
};

/**
 * One Handlebars environment for every render; a render passes its recipient's locale, zone and
 * links as private data (`@grm`), which the helpers read. Compiling a template per message was
 * most of a large sweep's time, so compiled templates are kept by their text.
 */
const hb = Handlebars.create();
const contextOf = (args: unknown[]): RenderContext => (args[args.length - 1] as { data: { grm: RenderContext } }).data.grm;
hb.registerHelper('formatDate', (...args: unknown[]) => {
  const context = contextOf(args);
  const [value, style] = args.length > 2 ? args : [args[0], undefined];
  if (!value) return '';
  const date = DateTime.fromISO(String(value), { zone: context.timeZone });
  if (!date.isValid) return String(value);
  const format = typeof style === 'string' && DATE_STYLES[style] ? DATE_STYLES[style] : DATE_STYLES.datetime;
  return date.setLocale(context.locale).toLocaleString(format);
});
hb.registerHelper('statusLabel', (...args: unknown[]) => {
  const status = args.length > 1 ? args[0] : undefined;
  return contextOf(args).statusLabels[String(status)] ?? String(status ?? '');
});
hb.registerHelper('trackingLink', (...args: unknown[]) => String(contextOf(args).values.trackingUrl ?? ''));
hb.registerHelper('feedbackLink', (...args: unknown[]) => String(contextOf(args).values.feedbackUrl ?? ''));

const COMPILED_KEPT = 500;
let compiled = new Map<string, HandlebarsTemplateDelegate>();
function fill(source: string, noEscape: boolean, context: RenderContext): string {
  const key = `${noEscape ? 1 : 0}${source}`;
  let template = compiled.get(key);
  if (!template) {
    template = hb.compile(source, { noEscape, strict: false });
    if (compiled.size >= COMPILED_KEPT) compiled = new Map();
    compiled.set(key, template);
  }
  return template(context.values, { data: { grm: context } });
}

/** Problems of one template text: syntax errors, unknown variables and helpers, with their line. */
function problemsOf(field: TemplateProblem['field'], source: string): TemplateProblem[] {
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parse(source);
  } catch (error: any) {
    const line = Number(/line (\d+)/i.exec(String(error?.message))?.[1] ?? 1);
    return [{ field, line, name: 'syntax', message: `${field}, line ${line}: ${String(error?.message ?? error).split('\n')[0]}` }];
  }
  const problems: TemplateProblem[] = [];
  const allowed = new Set<string>(TEMPLATE_VARIABLES);
  const helpers = new Set<string>([...TEMPLATE_HELPERS, 'each', 'if', 'unless', 'with']);
  const unknown = (name: string, line: number, kind: 'variable' | 'helper') =>
    problems.push({ field, line, name, message: `${field}, line ${line}: unknown ${kind} "${name}". Use one of: ${[...(kind === 'variable' ? allowed : TEMPLATE_HELPERS)].join(', ')}.` });

  const visitPath = (path: hbs.AST.PathExpression, scope: Set<string>) => {
    if (path.data) return; // @index, @first ...
    const head = path.parts[0];
    if (path.original === 'this' || path.original === '.') return;
    if (!head || (!allowed.has(head) && !scope.has(head))) unknown(path.original, path.loc.start.line, 'variable');
  };
  const visitExpr = (expr: hbs.AST.Expression, scope: Set<string>) => {
    if (expr.type === 'PathExpression') visitPath(expr as hbs.AST.PathExpression, scope);
    else if (expr.type === 'SubExpression') visitCall(expr as hbs.AST.SubExpression, scope);
  };
  const visitCall = (node: { path: hbs.AST.PathExpression | hbs.AST.Literal; params: hbs.AST.Expression[]; hash?: hbs.AST.Hash; loc: hbs.AST.SourceLocation }, scope: Set<string>) => {
    const path = node.path as hbs.AST.PathExpression;
    const isCall = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0 || helpers.has(path.original);
    if (isCall) {
      if (!helpers.has(path.original)) unknown(path.original, node.loc.start.line, 'helper');
    } else visitPath(path, scope);
    for (const p of node.params) visitExpr(p, scope);
    for (const pair of node.hash?.pairs ?? []) visitExpr(pair.value, scope);
  };
  const visitProgram = (p: hbs.AST.Program | undefined, scope: Set<string>) => {
    for (const statement of p?.body ?? []) {
      if (statement.type === 'MustacheStatement') visitCall(statement as hbs.AST.MustacheStatement, scope);
      else if (statement.type === 'BlockStatement') {
        const block = statement as hbs.AST.BlockStatement;
        visitCall(block, scope);
        const inner = (block.path as hbs.AST.PathExpression).original === 'each' ? new Set([...scope, ...ROADMAP_FIELDS]) : scope;
        visitProgram(block.program, inner);
        visitProgram(block.inverse, scope);
      } else if (statement.type === 'PartialStatement' || statement.type === 'PartialBlockStatement') {
        problems.push({ field, line: statement.loc.start.line, name: 'partial', message: `${field}, line ${statement.loc.start.line}: partials are not available in templates.` });
      }
    }
  };
  visitProgram(program, new Set());
  return problems;
}

/** Everything wrong with a template as entered in the admin panel (empty = it can be saved). */
export function checkTemplate(template: { channel: Channel; subject?: string | null; body: string }): TemplateProblem[] {
  const problems = [...(template.subject ? problemsOf('subject', template.subject) : []), ...problemsOf('body', template.body ?? '')];
  if (problems.length === 0 && template.channel === 'sms') {
    const sample = render(template, sampleContext('en'), { cut: false }).body;
    if (sample.length > SMS_MAX_LENGTH) {
      problems.push({ field: 'body', line: 1, name: 'length', message: `body: an SMS may be at most ${SMS_MAX_LENGTH} characters; with sample data this one has ${sample.length}.` });
    }
  }
  return problems;
}

export interface Rendered {
  subject: string;
  body: string;
  /** Plain-text alternative for e-mail; the body itself elsewhere. */
  text: string;
}

const stripTags = (html: string) =>
  html.replace(/<br\s*\/?>/gi, '\n').replace(/<\/(p|div|li|h\d)>/gi, '\n').replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=').replace(/&#x60;/g, '`').trim();

/** Renders a checked template. E-mail escapes HTML; other channels are plain text. */
export function render(template: { channel: Channel; subject?: string | null; body: string }, context: RenderContext, options: { cut?: boolean } = {}): Rendered {
  const plain = template.channel !== 'email';
  const subject = template.subject ? fill(template.subject, true, context).trim() : '';
  let body = fill(template.body, plain, context).trim();
  if (template.channel === 'sms' && options.cut !== false && body.length > SMS_MAX_LENGTH) body = `${body.slice(0, SMS_MAX_LENGTH - 1)}…`;
  return { subject, body, text: plain ? body : stripTags(body) };
}

/** Data for previews and for the length check: a plausible case. */
export function sampleContext(locale: string, timeZone = 'Asia/Kolkata'): RenderContext {
  const now = DateTime.fromISO('2026-03-02T10:30:00', { zone: timeZone });
  return {
    locale,
    timeZone,
    statusLabels: {},
    values: {
      trackingCode: 'DIST-20260302-K7Q2M9XA4',
      projectName: 'Riverside District Administration',
      category: 'Water supply',
      department: 'Water Supply and Sanitation',
      status: 'acknowledged',
      level: 2,
      levelName: 'Head of department',
      submittedAt: now.toISO(),
      acknowledgeBy: now.plus({ days: 2 }).toISO(),
      resolveBy: now.plus({ days: 9 }).toISO(),
      dueAt: now.plus({ days: 9 }).toISO(),
      resolution: 'The hand pump was repaired and tested.',
      reason: 'The same complaint is already being handled.',
      note: 'Site visit planned for Thursday.',
      actor: 'Harish Kumar',
      toDepartment: 'Public Works (Roads)',
      decision: 'approved',
      rating: 4,
      autoCloseDays: 7,
      appealWindowDays: 14,
      recipientName: 'Anita Devi',
      trackingUrl: 'https://grm.example.org/portal/#/track/DIST-20260302-K7Q2M9XA4',
      feedbackUrl: 'https://grm.example.org/portal/#/track/DIST-20260302-K7Q2M9XA4/feedback',
      roadmap: [
        { step: 'Acknowledged', by: now.plus({ days: 2 }).toISO() },
        { step: 'Resolved', by: now.plus({ days: 9 }).toISO() },
      ],
    },
  };
}
