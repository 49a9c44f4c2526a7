/**
 * Open311 GeoReport v2 endpoints under /api/open311/v2/, in `.json` and `.xml`. Errors use the
 * spec's format, `[{ code, description }]`, with the HTTP status of the first error.
 */
import type { Core } from '@strapi/strapi';
import { errorBody, Format, Open311Error, parseRequestQuery, toXml, toXmlObject } from '../domain/georeport';
import { Open311Refusal } from '../services/georeport';
import { parseSubmission } from '../../../../../src/domain/public-submission';
import { clientKey, hit } from '../../../../../src/platform/rate-limit';
import { seconds } from '../../../../../src/domain/plural';
import { getService } from '../../../../../src/platform/services';

/** The content-API permission a custom API token needs to file requests (Settings → API Tokens → Open311). */
export const CREATE_PERMISSION = 'plugin::open311.georeport.createRequest';

const FILE = /^([^/]+)\.(json|xml)$/i;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService('open311', 'georeport');

  function send(ctx: any, format: Format, status: number, json: unknown, xml: () => string) {
    ctx.status = status;
    if (format === 'xml') {
      ctx.type = 'text/xml; charset=utf-8';
      ctx.body = xml();
    } else {
      ctx.type = 'application/json; charset=utf-8';
      ctx.body = json;
    }
  }
  const fail = (ctx: any, format: Format, errors: Open311Error[]) => send(ctx, format, errors[0].code, errorBody(errors, 'json'), () => errorBody(errors, 'xml') as string);

  /** `name.json` / `name.xml` from the last path segment. */
  function file(ctx: any, param: string): { id: string; format: Format } | null {
    const match = FILE.exec(String(ctx.params[param] ?? ''));
    return match ? { id: decodeURIComponent(match[1]), format: match[2].toLowerCase() as Format } : null;
  }

  async function guarded(ctx: any, format: Format, work: () => Promise<void>) {
    try {
      await work();
    } catch (error: any) {
      if (error instanceof Open311Refusal) return fail(ctx, format, (error as any).errors ?? [{ code: error.status, description: error.description }]);
      throw error;
    }
  }

  /**
   * The request's `api_key` as an API token from Settings → API Tokens: 'missing' when it names
   * no valid, unexpired content-API token, 'read-only' when the token may not write (a read-only
   * token, or a custom one without the Open311 create permission), else 'allowed'.
   */
  async function apiKeyStanding(key: unknown): Promise<'missing' | 'read-only' | 'allowed'> {
    if (typeof key !== 'string' || key.length < 16 || key.length > 512) return 'missing';
    const tokens = strapi.service('admin::api-token') as any;
    const token = await tokens.getByAccessKey(tokens.hash(key));
    if (!token || token.kind === 'admin' || (token.expiresAt && new Date(token.expiresAt) <= new Date())) return 'missing';
    if (token.type === 'full-access') return 'allowed';
    return token.type === 'custom' && Array.isArray(token.permissions) && token.permissions.includes(CREATE_PERMISSION) ? 'allowed' : 'read-only';
  }

  return {
    async discovery(ctx: any) {
      const format = ctx.path.endsWith('.xml') ? 'xml' : 'json';
      const base = `${String(strapi.config.get('server.url', '') || '').replace(/\/$/, '')}/api/open311/v2`;
      const body = {
        changeset: '2026-11-21T00:00:00Z',
        contact: String(strapi.config.get('plugin::open311.contact', '')),
        key_service: 'Ask the administrator for an API token (Settings → API Tokens).',
        endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url: base, changeset: '2026-11-21T00:00:00Z', type: 'production', formats: ['application/json', 'text/xml'] }],
      };
      send(ctx, format, 200, body, () => toXmlObject('discovery', body));
    },

    async services(ctx: any) {
      const format = ctx.path.endsWith('.xml') ? 'xml' : 'json';
      await guarded(ctx, format, async () => {
        const list = await service().services(ctx.query.jurisdiction_id);
        send(ctx, format, 200, list, () => toXml('services', 'service', list));
      });
    },

    async definition(ctx: any) {
      const f = file(ctx, 'file');
      if (!f) return fail(ctx, 'json', [{ code: 404, description: 'Use /services/{service_code}.json or .xml.' }]);
      await guarded(ctx, f.format, async () => {
        const definition = await service().definition(ctx.query.jurisdiction_id, f.id);
        send(ctx, f.format, 200, definition, () => toXmlObject('service_definition', definition));
      });
    },

    async listRequests(ctx: any) {
      const format = ctx.path.endsWith('.xml') ? 'xml' : 'json';
      const query = parseRequestQuery(ctx.query);
      if ('code' in query) return fail(ctx, format, [query]);
      await guarded(ctx, format, async () => {
        const list = await service().requests(ctx.query.jurisdiction_id, query);
        send(ctx, format, 200, list, () => toXml('service_requests', 'request', list));
      });
    },

    async getRequest(ctx: any) {
      const f = file(ctx, 'file');
      if (!f) return fail(ctx, 'json', [{ code: 404, description: 'Use /requests/{service_request_id}.json or .xml.' }]);
      await guarded(ctx, f.format, async () => {
        const list = await service().request(ctx.query.jurisdiction_id, f.id);
        send(ctx, f.format, 200, list, () => toXml('service_requests', 'request', list));
      });
    },

    /** Requests are filed at once, so a token is its request's id. */
    async token(ctx: any) {
      const f = file(ctx, 'file');
      if (!f) return fail(ctx, 'json', [{ code: 404, description: 'Use /tokens/{token}.json or .xml.' }]);
      await guarded(ctx, f.format, async () => {
        const [request] = await service().request(ctx.query.jurisdiction_id, f.id);
        const list = [{ service_request_id: request.service_request_id, token: f.id }];
        send(ctx, f.format, 200, list, () => toXml('service_requests', 'request', list));
      });
    },

    async createRequest(ctx: any) {
      const format = ctx.path.endsWith('.xml') ? 'xml' : 'json';
      // Counted before the key is looked at, so keys cannot be guessed at speed either.
      const rule = (strapi.config.get('api.publicLimits') as Record<string, { limit: number; windowMs: number }>).open311Submit;
      const limit = await hit(`open311Submit:${clientKey(ctx.request.ip)}`, rule);
      if (!limit.allowed) {
        ctx.set('Retry-After', String(limit.retryAfterSeconds));
        return fail(ctx, format, [{ code: 429, description: `Too many requests; try again in ${seconds(limit.retryAfterSeconds)}.` }]);
      }
      const params = { ...(ctx.request.body ?? {}) } as Record<string, any>;
      // The key is a secret: in a URL it would be kept by proxies and logs, so it is refused there (docs/security.md).
      if (ctx.query.api_key !== undefined) return fail(ctx, format, [{ code: 400, description: 'Send api_key in the request body, not in the URL.' }]);
      const standing = await apiKeyStanding(params.api_key);
      if (standing === 'missing') return fail(ctx, format, [{ code: 403, description: 'A valid api_key is required.' }]);
      if (standing === 'read-only') return fail(ctx, format, [{ code: 403, description: 'This api_key may only read: filing requests needs a full-access token or a custom one with the Open311 createRequest permission.' }]);
      await guarded(ctx, format, async () => {
        const { data } = await service().create(params);
        let submission;
        try {
          submission = parseSubmission({ data });
        } catch (error: any) {
          return fail(ctx, format, (error.errors ?? []).map((e: any) => ({ code: 400, description: `${e.path.join('.')}: ${e.message}` })));
        }
        const result = await getService('cases', 'submission').submit(submission, null);
        const response = [{ service_request_id: result.data.trackingCode, service_notice: `Expected response by ${result.data.resolveBy ?? 'the deadline'}.`, account_id: '' }];
        send(ctx, format, 201, response, () => toXml('service_requests', 'request', response));
      });
    },
  };
};
