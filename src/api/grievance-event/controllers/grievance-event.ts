import { factories } from '@strapi/strapi';

export default factories.createCoreController('api::grievance-event.grievance-event');
