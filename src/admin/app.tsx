import type { StrapiApp } from '@strapi/strapi/admin';

export default {
  config: {
    // The admin panel speaks every locale the public site serves.
    locales: ['fr', 'hi'],
    tutorials: false,
    notifications: { releases: false },
  },
  bootstrap(_app: StrapiApp) {},
};
