import { factories } from '@strapi/strapi';

export default factories.createCoreController('api::notification-template.notification-template');
