import georeportService from './services/georeport';
import georeportController from './controllers/georeport';

const open = { auth: false } as const;

export default {
  register() {},
  bootstrap() {},
  destroy() {},
  routes: {
    'content-api': {
      type: 'content-api',
      routes: [
        { method: 'GET', path: '/v2/discovery.json', handler: 'georeport.discovery', config: open },
        { method: 'GET', path: '/v2/discovery.xml', handler: 'georeport.discovery', config: open },
        { method: 'GET', path: '/v2/services.json', handler: 'georeport.services', config: open },
        { method: 'GET', path: '/v2/services.xml', handler: 'georeport.services', config: open },
        { method: 'GET', path: '/v2/services/:file', handler: 'georeport.definition', config: open },
        { method: 'GET', path: '/v2/requests.json', handler: 'georeport.listRequests', config: open },
        { method: 'GET', path: '/v2/requests.xml', handler: 'georeport.listRequests', config: open },
        { method: 'POST', path: '/v2/requests.json', handler: 'georeport.createRequest', config: open },
        { method: 'POST', path: '/v2/requests.xml', handler: 'georeport.createRequest', config: open },
        { method: 'GET', path: '/v2/requests/:file', handler: 'georeport.getRequest', config: open },
        { method: 'GET', path: '/v2/tokens/:file', handler: 'georeport.token', config: open },
      ],
    },
  },
  controllers: { georeport: georeportController },
  services: { georeport: georeportService },
  contentTypes: {},
  policies: {},
  middlewares: {},
  config: { default: { contact: '' }, validator() {} },
};
