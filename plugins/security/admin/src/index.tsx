import { Lock } from '@strapi/icons';

const PLUGIN_ID = 'security';

export default {
  register(app: any) {
    // Every staff member sets up their own authenticator and confirms it is them here.
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: Lock,
      intlLabel: { id: `${PLUGIN_ID}.title`, defaultMessage: 'Security' },
      permissions: [],
      Component: () => import('./pages/Security'),
      position: 8,
    });
    app.registerPlugin({ id: PLUGIN_ID, name: 'Security' });
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
