/**
 * Alerts: a staff member's in-app notifications (newest first, unread marked), with "mark all
 * read"; for administrators also the messages the outbox could not deliver, with a retry, and one
 * line per channel that is not configured (its messages are held, not failed) or in demo mode.
 */
import * as React from 'react';
import { Badge, Box, Button, Flex, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Layouts, Page, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { Link as RouterLink } from 'react-router-dom';
import { UNREAD_EVENT } from '../components/AlertBell';

interface Alert {
  id: number;
  event: string;
  subject: string;
  body: string;
  trackingCode: string | null;
  /** The case in the admin panel, relative to the panel's base. */
  casePath: string | null;
  createdAt: string;
  read: boolean;
}
interface Failed {
  id: number;
  event: string;
  channel: string;
  trackingCode: string | null;
  subject: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
}

interface ChannelHealth {
  channel: string;
  state: 'configured' | 'not_configured' | 'demo_outbox';
  held: number;
}

const t = (id: string) => `notifications.${id}`;

const AlertsPage = () => {
  const { get, post } = useFetchClient();
  const { formatMessage, formatDate } = useIntl();
  const { toggleNotification } = useNotification();
  const msg = (id: string, defaultMessage: string, values?: Record<string, React.ReactNode>) => formatMessage({ id: t(id), defaultMessage }, values) as string;
  const [alerts, setAlerts] = React.useState<Alert[] | null>(null);
  const [failed, setFailed] = React.useState<Failed[] | null>(null);
  const [channels, setChannels] = React.useState<ChannelHealth[] | null>(null);

  const load = React.useCallback(async () => {
    const res = await get('/notifications/alerts');
    setAlerts(res.data.data);
    try {
      setFailed((await get('/notifications/outbox?status=failed')).data.data);
    } catch {
      setFailed(null); // not an administrator
    }
    try {
      setChannels((await get('/notifications/health')).data.data.channels);
    } catch {
      setChannels(null); // no outbox permission
    }
  }, [get]);

  React.useEffect(() => {
    load();
  }, [load]);

  const markAllRead = async () => {
    await post('/notifications/alerts/read', {});
    window.dispatchEvent(new Event(UNREAD_EVENT));
    await load();
  };
  const retry = async (id: number) => {
    try {
      await post(`/notifications/outbox/${id}/retry`, {});
      toggleNotification({ type: 'success', message: msg('retried', 'The message will be sent again.') });
      await load();
    } catch (e: any) {
      toggleNotification({ type: 'danger', message: e?.response?.data?.error?.message ?? msg('retryFailed', 'Retry failed.') });
    }
  };
  /** Following an alert to its case reads it. */
  const open = (a: Alert) => {
    if (a.read) return;
    post('/notifications/alerts/read', { ids: [a.id] })
      .then(() => window.dispatchEvent(new Event(UNREAD_EVENT)))
      .catch(() => undefined);
  };
  const when = (iso: string) => formatDate(iso, { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <Page.Main>
      <Page.Title>{msg('title', 'Alerts')}</Page.Title>
      <Layouts.Header
        title={msg('title', 'Alerts')}
        subtitle={msg('subtitle', 'What needs your attention: assignments, escalations, reminders and overdue cases.')}
        primaryAction={<Button onClick={markAllRead} disabled={!alerts?.some((a) => !a.read)}>{msg('markAll', 'Mark all as read')}</Button>}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Box background="neutral0" shadow="tableShadow" hasRadius padding={4}>
            {alerts && alerts.length === 0 && <Typography textColor="neutral600">{msg('none', 'No alerts yet.')}</Typography>}
            <Flex direction="column" alignItems="stretch" gap={3}>
              {alerts?.map((a) => (
                <Box key={a.id} padding={3} hasRadius background={a.read ? 'neutral0' : 'primary100'} data-testid="alert-row">
                  <Flex gap={2}>
                    {!a.read && <Badge backgroundColor="primary600" textColor="neutral0">{msg('new', 'New')}</Badge>}
                    {a.casePath ? (
                      <RouterLink to={a.casePath} onClick={() => open(a)} data-testid="alert-case-link" style={{ color: 'inherit' }}>
                        <Typography fontWeight="bold" textColor="primary700">{a.subject}</Typography>
                      </RouterLink>
                    ) : (
                      <Typography fontWeight="bold">{a.subject}</Typography>
                    )}
                  </Flex>
                  <Typography variant="pi" textColor="neutral700" tag="p">{a.body}</Typography>
                  <Typography variant="pi" textColor="neutral500">{when(a.createdAt)}</Typography>
                </Box>
              ))}
            </Flex>
          </Box>
          {failed && (
            <Box background="neutral0" shadow="tableShadow" hasRadius padding={4}>
              <Typography variant="delta" tag="h2">{msg('failedTitle', 'Messages not delivered')}</Typography>
              {channels?.some((c) => c.state !== 'configured') && (
                <Box paddingTop={2} paddingBottom={2} data-testid="delivery-summary">
                  {channels.filter((c) => c.state !== 'configured').map((c) => (
                    <Typography key={c.channel} tag="p" textColor="neutral700">
                      {c.state === 'demo_outbox'
                        ? msg('channelDemo', '{channel}: demo outbox, messages are kept, not sent.', { channel: c.channel })
                        : msg('channelHeld', '{channel}: not configured, {n} messages held.', { channel: c.channel, n: c.held })}
                    </Typography>
                  ))}
                  <RouterLink to="/plugins/notifications/outbox">{msg('openOutbox', 'Open the outbox')}</RouterLink>
                </Box>
              )}
              {failed.length === 0 ? (
                <Typography textColor="neutral600">{msg('noFailed', 'Every message was delivered or is still being tried.')}</Typography>
              ) : (
                <Table colCount={5} rowCount={failed.length + 1}>
                  <Thead>
                    <Tr>
                      <Th><Typography variant="sigma">{msg('case', 'Case')}</Typography></Th>
                      <Th><Typography variant="sigma">{msg('message', 'Message')}</Typography></Th>
                      <Th><Typography variant="sigma">{msg('channel', 'Channel')}</Typography></Th>
                      <Th><Typography variant="sigma">{msg('error', 'Last error')}</Typography></Th>
                      <Th><Typography variant="sigma">{msg('action', 'Action')}</Typography></Th>
                    </Tr>
                  </Thead>
                  <Tbody>
                    {failed.map((f) => (
                      <Tr key={f.id}>
                        <Td><Typography>{f.trackingCode}</Typography></Td>
                        <Td><Typography>{f.subject}</Typography></Td>
                        <Td><Typography>{f.channel} · {msg('attempts', '{n, plural, one {# attempt} other {# attempts}}', { n: f.attempts })}</Typography></Td>
                        <Td><Typography textColor="danger600">{f.lastError}</Typography></Td>
                        <Td><Button variant="secondary" size="S" onClick={() => retry(f.id)}>{msg('retry', 'Retry')}</Button></Td>
                      </Tr>
                    ))}
                  </Tbody>
                </Table>
              )}
            </Box>
          )}
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

export default AlertsPage;
