import { factories } from '@strapi/strapi';

// Reference data for public forms: read-only.
export default factories.createCoreRouter('api::department.department', { only: ['find', 'findOne'] });
