import { checkTemplate, render, sampleContext, SMS_MAX_LENGTH } from './templates';

describe('template checks on save', () => {
  it('accepts known variables, helpers and the roadmap loop', () => {
    expect(checkTemplate({ channel: 'email', subject: 'Case {{trackingCode}}', body: '<p>Due {{formatDate resolveBy "long"}}</p>{{#each roadmap}}{{step}}: {{formatDate by}}{{/each}}' })).toEqual([]);
  });
  it('refuses a syntax error with its line', () => {
    const [problem] = checkTemplate({ channel: 'email', body: 'Hello\n{{#if trackingCode}}\nno end' });
    expect(problem).toMatchObject({ field: 'body', name: 'syntax' });
    expect(problem.line).toBeGreaterThanOrEqual(2);
  });
  it('refuses an unknown variable or helper, naming it and its line', () => {
    expect(checkTemplate({ channel: 'sms', body: 'Code {{trackingCode}}\nPhone {{citizenPhone}}' })).toEqual([
      expect.objectContaining({ field: 'body', line: 2, name: 'citizenPhone' }),
    ]);
    expect(checkTemplate({ channel: 'email', subject: '{{shout trackingCode}}', body: 'x' })).toEqual([expect.objectContaining({ field: 'subject', name: 'shout' })]);
  });
  it('refuses an SMS too long for three parts', () => {
    const [problem] = checkTemplate({ channel: 'sms', body: 'x'.repeat(SMS_MAX_LENGTH + 1) });
    expect(problem).toMatchObject({ name: 'length' });
  });
});

describe('rendering', () => {
  it('escapes HTML in e-mail and not in SMS', () => {
    const context = sampleContext('en');
    context.values.resolution = '<script>alert(1)</script> & fixed';
    const email = render({ channel: 'email', body: '<p>{{resolution}}</p>' }, context);
    expect(email.body).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; fixed</p>');
    expect(email.text).toBe('<script>alert(1)</script> & fixed');
    expect(render({ channel: 'sms', body: '{{resolution}}' }, context).body).toBe('<script>alert(1)</script> & fixed');
  });
  it("writes dates in the project's time zone and the recipient's language", () => {
    const context = sampleContext('fr', 'Asia/Kolkata');
    context.values.resolveBy = '2026-03-11T19:00:00.000Z'; // already 00:30 on the 12th in Kolkata
    expect(render({ channel: 'sms', body: '{{formatDate resolveBy "long"}}' }, context).body).toBe('12 mars 2026');
    const hindi = { ...context, locale: 'hi' };
    expect(render({ channel: 'sms', body: '{{formatDate resolveBy "medium"}}' }, hindi).body).toMatch(/2026/);
  });
  it('labels statuses in the recipient language', () => {
    const context = { ...sampleContext('fr'), statusLabels: { resolved: 'Résolue' } };
    context.values.status = 'resolved';
    expect(render({ channel: 'in_app', body: '{{statusLabel status}}' }, context).body).toBe('Résolue');
  });
  it('cuts an SMS that grew past the limit with long data', () => {
    const context = sampleContext('en');
    context.values.resolution = 'y'.repeat(1000);
    expect(render({ channel: 'sms', body: '{{resolution}}' }, context).body).toHaveLength(SMS_MAX_LENGTH);
  });
});
