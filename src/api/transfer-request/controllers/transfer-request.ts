import { factories } from '@strapi/strapi';

export default factories.createCoreController('api::transfer-request.transfer-request');
