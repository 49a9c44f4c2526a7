/**
 * Beside the notification template form: preview the unsaved template with a sample case in the
 * template's language, and send it to yourself as a test e-mail.
 */
import * as React from 'react';
import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { unstable_useContentManagerContext as useContentManagerContext, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

const TEMPLATE = 'api::notification-template.notification-template';
const t = (id: string) => `notifications.${id}`;

function PanelContent() {
  const { post } = useFetchClient();
  const { formatMessage } = useIntl();
  const { toggleNotification } = useNotification();
  const context = useContentManagerContext() as { form: { values: Record<string, any> } };
  const [preview, setPreview] = React.useState<{ subject: string; text: string } | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const msg = (id: string, defaultMessage: string, values?: Record<string, React.ReactNode>) => formatMessage({ id: t(id), defaultMessage }, values) as string;
  const locale = new URLSearchParams(window.location.search).get('plugins[i18n][locale]') ?? 'en';
  const input = () => ({ channel: context.form.values.channel, subject: context.form.values.subject ?? '', body: context.form.values.body ?? '', locale });

  const run = async () => {
    try {
      const res = await post('/notifications/templates/preview', input());
      setPreview(res.data.data);
      setError(null);
    } catch (e: any) {
      setPreview(null);
      setError(e?.response?.data?.error?.message ?? msg('previewFailed', 'The preview failed.'));
    }
  };
  const sendTest = async () => {
    try {
      const res = await post('/notifications/templates/test', input());
      toggleNotification({ type: 'success', message: msg('testSent', 'Test sent to {email}.', { email: res.data.data.sentTo }) });
    } catch (e: any) {
      toggleNotification({ type: 'danger', message: e?.response?.data?.error?.message ?? msg('testFailed', 'The test could not be sent.') });
    }
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={3} width="100%">
      <Button variant="secondary" onClick={run} data-testid="template-preview">{msg('preview', 'Preview with a sample case')}</Button>
      <Button variant="tertiary" onClick={sendTest}>{msg('sendTest', 'Send me a test')}</Button>
      {error && <Typography textColor="danger600" data-testid="template-error">{error}</Typography>}
      {preview && (
        <Box padding={3} background="neutral100" hasRadius data-testid="template-rendered">
          {preview.subject && <Typography fontWeight="bold" tag="p">{preview.subject}</Typography>}
          <Typography variant="pi" tag="p" style={{ whiteSpace: 'pre-wrap' }}>{preview.text}</Typography>
        </Box>
      )}
    </Flex>
  );
}

export const TemplatePanel = ({ model }: { model: string }) => {
  const { formatMessage } = useIntl();
  if (model !== TEMPLATE) return null;
  return { title: formatMessage({ id: t('panel'), defaultMessage: 'Preview' }), content: <PanelContent /> };
};
