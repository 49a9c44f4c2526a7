import { Mail } from '@strapi/icons';
import { AlertBell } from './components/AlertBell';
import { TemplatePanel } from './components/TemplatePanel';

const PLUGIN_ID = 'notifications';

export default {
  register(app: any) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: AlertBell,
      intlLabel: { id: `${PLUGIN_ID}.title`, defaultMessage: 'Alerts' },
      Component: () => import('./pages/Alerts'),
      position: 2,
    });
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}/outbox`,
      icon: Mail,
      intlLabel: { id: `${PLUGIN_ID}.outbox.title`, defaultMessage: 'Outbox' },
      // Super admins and project admins: where messages go, and in demo mode what they say.
      permissions: [{ action: 'plugin::notifications.outbox.read', subject: null }],
      Component: () => import('./pages/Outbox'),
      position: 9,
    });
    app.registerPlugin({ id: PLUGIN_ID, name: 'Notifications' });
  },
  bootstrap(app: any) {
    app.getPlugin('content-manager').apis.addEditViewSidePanel([TemplatePanel]);
  },
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
