import { Shield } from '@strapi/icons';

const PLUGIN_ID = 'audit';

export default {
  register(app: any) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: Shield,
      intlLabel: { id: `${PLUGIN_ID}.title`, defaultMessage: 'Audit log' },
      // Project admins see their projects' events, viewers and super admins the whole trail.
      permissions: [{ action: 'plugin::audit.read', subject: null }],
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
