import { factories } from '@strapi/strapi';

export default factories.createCoreService('api::transfer-request.transfer-request');
