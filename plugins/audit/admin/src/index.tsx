import { Shield } from '@strapi/icons';

const PLUGIN_ID = 'audit';

export default {
  register(app: any) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: Shield,
      intlLabel: { id: `${PLUGIN_ID}.title`, defaultMessage: 'Audit log' },
      // The API decides who may read (super admins, viewers, project admins for their projects).
      permissions: [],
      Component: () => import('./pages/AuditLog'),
      position: 7,
    });
    app.registerPlugin({ id: PLUGIN_ID, name: 'Audit log' });
  },
  bootstrap() {},
  async registerTrads({ locales }: { locales: string[] }) {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: data } = await import(`./translations/${locale}.json`);
          return { data, locale };
        } catch {
          return { data: {}, locale };
        }
      })
    );
  },
};
