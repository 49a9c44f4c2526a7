import { factories } from '@strapi/strapi';

export default factories.createCoreController('api::sla-level.sla-level');
