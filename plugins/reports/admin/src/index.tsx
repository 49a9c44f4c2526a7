import { ChartPie } from '@strapi/icons';

const PLUGIN_ID = 'reports';

export default {
  register(app: any) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: ChartPie,
      intlLabel: { id: `${PLUGIN_ID}.dashboard`, defaultMessage: 'Dashboard' },
      Component: () => import('./pages/Dashboard'),
      position: 1,
    });
    app.registerPlugin({ id: PLUGIN_ID, name: 'Reports' });
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
