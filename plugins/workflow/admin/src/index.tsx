const PLUGIN_ID = 'workflow';

export default {
  register(app: any) {
    app.registerPlugin({ id: PLUGIN_ID, name: 'Workflow' });
  },
  bootstrap() {},
};
