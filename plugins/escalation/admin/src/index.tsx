import { SlaPreviewPanel } from './components/SlaPreviewPanel';

const PLUGIN_ID = 'escalation';

export default {
  register(app: any) {
    app.registerPlugin({ id: PLUGIN_ID, name: 'Escalation' });
  },
  bootstrap(app: any) {
    app.getPlugin('content-manager').apis.addEditViewSidePanel([SlaPreviewPanel]);
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
