import { factories } from '@strapi/strapi';

export default factories.createCoreService('api::sla-level.sla-level');
