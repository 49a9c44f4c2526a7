import { factories } from '@strapi/strapi';

// Reference data for public forms: read-only.
export default factories.createCoreRouter('api::category.category', { only: ['find', 'findOne'] });
