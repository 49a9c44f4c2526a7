import { WorkflowPanel } from './components/WorkflowPanel';

const PLUGIN_ID = 'cases';

export default {
  register(app: any) {
    app.registerPlugin({ id: PLUGIN_ID, name: 'Cases' });
  },
  bootstrap(app: any) {
    app.getPlugin('content-manager').apis.addEditViewSidePanel([WorkflowPanel]);
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
