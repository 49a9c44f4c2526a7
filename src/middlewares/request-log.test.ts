import { loggedTarget, requestLine } from './request-log';

describe('the request log line', () => {
  it('keeps the path and drops the query string, whatever it holds', () => {
    expect(loggedTarget('/api/grievances/track/DIST-X/receipt.pdf', 'secret=s3cr3t-value')).toBe('/api/grievances/track/DIST-X/receipt.pdf?…');
    expect(loggedTarget('/api/open311/v2/requests.json', 'api_key=tok&jurisdiction_id=dist')).toBe('/api/open311/v2/requests.json?…');
    // A secret sent as a parameter name, or percent-encoded, is dropped as well.
    expect(loggedTarget('/api/x', 's3cr3t-value')).toBe('/api/x?…');
    expect(loggedTarget('/api/x', 'a=%73%33cr3t')).toBe('/api/x?…');
  });

  it('writes nothing after a bare path', () => {
    expect(loggedTarget('/api/projects', '')).toBe('/api/projects');
  });

  it('reads like the line Strapi wrote, without the query', () => {
    expect(requestLine('GET', '/api/projects', 'locale=fr', 3, 200)).toBe('GET /api/projects?… (3 ms) 200');
  });
});
