/**
 * Outbox: where each channel delivers (configured, not configured, demo outbox) with the messages
 * held or failed on it, and, in demo outbox mode, every e-mail, SMS and WhatsApp message as its
 * recipient would read it, in their language. For holders of the outbox permission; citizens'
 * addresses and messages only for roles that may read citizens' contact details.
 */
import * as React from 'react';
import { Badge, Box, Button, Flex, SingleSelect, SingleSelectOption, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

interface ChannelHealth {
  channel: 'email' | 'sms' | 'whatsapp';
  state: 'configured' | 'not_configured' | 'demo_outbox';
  held: number;
  failed: number;
}
interface Health {
  mode: 'live' | 'outbox';
  requested: string;
  problem: 'unknown_mode' | 'demo_outbox_refused_in_production' | null;
  channels: ChannelHealth[];
}
interface Message {
  id: number;
  event: string;
  channel: string;
  audience: string;
  trackingCode: string | null;
  locale: string | null;
  to: string | null;
  subject: string | null;
  html: string | null;
  text: string | null;
  personalDataHidden: boolean;
  deliveredAt: string | null;
}

const t = (id: string) => `notifications.outbox.${id}`;
const STATE_COLOURS = { configured: 'success600', not_configured: 'warning600', demo_outbox: 'primary600' } as const;

const OutboxPage = () => {
  const { get } = useFetchClient();
  const { formatMessage, formatDate } = useIntl();
  const msg = (id: string, defaultMessage: string, values?: Record<string, React.ReactNode>) => formatMessage({ id: t(id), defaultMessage }, values) as string;
  const [health, setHealth] = React.useState<Health | null>(null);
  const [messages, setMessages] = React.useState<Message[] | null>(null);
  const [total, setTotal] = React.useState(0);
  const [page, setPage] = React.useState(1);
  const [channel, setChannel] = React.useState('');
  const [refused, setRefused] = React.useState(false);

  React.useEffect(() => {
    (async () => {
      try {
        setHealth((await get('/notifications/health')).data.data);
        const res = await get(`/notifications/demo-outbox?page=${page}${channel ? `&channel=${channel}` : ''}`);
        setMessages(res.data.data);
        setTotal(res.data.meta.total);
      } catch {
        setRefused(true);
      }
    })();
  }, [get, page, channel]);

  const channelName = (c: string) => msg(`channel.${c}`, c);
  const stateName = (s: ChannelHealth['state']) =>
    ({ configured: msg('state.configured', 'Configured'), not_configured: msg('state.not_configured', 'Not configured'), demo_outbox: msg('state.demo_outbox', 'Demo outbox') })[s];
  const when = (iso: string | null) => (iso ? formatDate(iso, { dateStyle: 'medium', timeStyle: 'short' }) : '');

  if (refused) {
    return (
      <Page.Main>
        <Page.Title>{msg('title', 'Outbox')}</Page.Title>
        <Layouts.Header title={msg('title', 'Outbox')} />
        <Layouts.Content>
          <Typography>{msg('refused', 'Your role may not read the outbox.')}</Typography>
        </Layouts.Content>
      </Page.Main>
    );
  }

  return (
    <Page.Main>
      <Page.Title>{msg('title', 'Outbox')}</Page.Title>
      <Layouts.Header
        title={msg('title', 'Outbox')}
        subtitle={msg('subtitle', 'Where e-mail, SMS and WhatsApp messages go, and what citizens and staff receive.')}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          {health && (
            <Box background="neutral0" shadow="tableShadow" hasRadius padding={4} data-testid="delivery-health">
              <Typography variant="delta" tag="h2">{msg('healthTitle', 'Delivery channels')}</Typography>
              {health.mode === 'outbox' && (
                <Box paddingTop={2}>
                  <Typography textColor="primary700">
                    {msg('demoMode', 'Demo outbox mode: nothing leaves this server. Every message is kept here, rendered, in the language of its recipient. Not for production.')}
                  </Typography>
                </Box>
              )}
              {health.problem === 'demo_outbox_refused_in_production' && (
                <Box paddingTop={2}>
                  <Typography textColor="warning700">
                    {msg('refusedInProduction', 'NOTIFICATIONS_DELIVERY=outbox is ignored in production: messages go to the configured providers.')}
                  </Typography>
                </Box>
              )}
              {health.problem === 'unknown_mode' && (
                <Box paddingTop={2}>
                  <Typography textColor="warning700">{msg('unknownMode', 'NOTIFICATIONS_DELIVERY={mode} is not a delivery mode (live or outbox).', { mode: health.requested })}</Typography>
                </Box>
              )}
              <Box paddingTop={3}>
                <Table colCount={4} rowCount={health.channels.length + 1}>
                  <Thead>
                    <Tr>
                      <Th><Typography variant="sigma">{msg('channel', 'Channel')}</Typography></Th>
                      <Th><Typography variant="sigma">{msg('state', 'State')}</Typography></Th>
                      <Th><Typography variant="sigma">{msg('held', 'Held')}</Typography></Th>
                      <Th><Typography variant="sigma">{msg('failed', 'Failed')}</Typography></Th>
                    </Tr>
                  </Thead>
                  <Tbody>
                    {health.channels.map((c) => (
                      <Tr key={c.channel} data-testid={`health-${c.channel}`}>
                        <Td><Typography>{channelName(c.channel)}</Typography></Td>
                        <Td><Typography fontWeight="bold" textColor={STATE_COLOURS[c.state]}>{stateName(c.state)}</Typography></Td>
                        <Td><Typography>{c.held}</Typography></Td>
                        <Td><Typography>{c.failed}</Typography></Td>
                      </Tr>
                    ))}
                  </Tbody>
                </Table>
              </Box>
              {health.channels.some((c) => c.state === 'not_configured') && (
                <Box paddingTop={2}>
                  <Typography variant="pi" textColor="neutral600">
                    {msg('heldHelp', 'Messages for a channel that is not configured are held, not sent and not retried; they go out once the channel is configured and the server restarted.')}
                  </Typography>
                </Box>
              )}
            </Box>
          )}

          <Box background="neutral0" shadow="tableShadow" hasRadius padding={4}>
            <Flex justifyContent="space-between" alignItems="center" gap={4}>
              <Typography variant="delta" tag="h2">{msg('messagesTitle', 'Messages in the demo outbox ({n})', { n: total })}</Typography>
              <Box minWidth="200px">
                <SingleSelect
                  aria-label={msg('filter', 'Channel')}
                  value={channel}
                  onChange={(v: string | number) => {
                    setPage(1);
                    setChannel(String(v));
                  }}
                >
                  <SingleSelectOption value="">{msg('allChannels', 'All channels')}</SingleSelectOption>
                  {['email', 'sms', 'whatsapp'].map((c) => (
                    <SingleSelectOption key={c} value={c}>{channelName(c)}</SingleSelectOption>
                  ))}
                </SingleSelect>
              </Box>
            </Flex>
            {messages && messages.length === 0 && (
              <Box paddingTop={3}>
                <Typography textColor="neutral600">{msg('empty', 'No message in the demo outbox. It fills when NOTIFICATIONS_DELIVERY=outbox (npm run demo sets it).')}</Typography>
              </Box>
            )}
            <Flex direction="column" alignItems="stretch" gap={4} paddingTop={4}>
              {messages?.map((m) => (
                <Box key={m.id} padding={4} hasRadius borderColor="neutral200" data-testid="outbox-message">
                  <Flex gap={2} wrap="wrap">
                    <Badge>{channelName(m.channel)}</Badge>
                    {m.locale && <Badge>{m.locale}</Badge>}
                    <Typography variant="pi" textColor="neutral600">
                      {msg('to', 'To {to}', { to: m.personalDataHidden ? msg('hidden', '(citizen contact hidden for your role)') : m.to ?? '' })} · {m.audience} · {m.event}
                      {m.trackingCode ? ` · ${m.trackingCode}` : ''} · {when(m.deliveredAt)}
                    </Typography>
                  </Flex>
                  {m.subject && m.channel === 'email' && (
                    <Box paddingTop={2}>
                      <Typography fontWeight="bold" tag="p">{m.subject}</Typography>
                    </Box>
                  )}
                  <Box paddingTop={2}>
                    {m.html ? (
                      // The e-mail as sent, in a sandbox that runs no script and reaches nothing.
                      <iframe title={m.subject ?? m.trackingCode ?? undefined} sandbox="" srcDoc={m.html} style={{ width: '100%', height: 220, border: '1px solid #eaeaef', borderRadius: 4, background: '#fff' }} />
                    ) : m.text ? (
                      <Box background="neutral100" padding={3} hasRadius maxWidth="480px">
                        <Typography tag="p" style={{ whiteSpace: 'pre-wrap' }}>{m.text}</Typography>
                      </Box>
                    ) : null}
                  </Box>
                </Box>
              ))}
            </Flex>
            {total > 25 && (
              <Flex gap={2} paddingTop={4} justifyContent="flex-end">
                <Button variant="tertiary" disabled={page <= 1} onClick={() => setPage(page - 1)}>{msg('previous', 'Previous')}</Button>
                <Typography>{msg('page', 'Page {page} of {pages}', { page, pages: Math.ceil(total / 25) })}</Typography>
                <Button variant="tertiary" disabled={page * 25 >= total} onClick={() => setPage(page + 1)}>{msg('next', 'Next')}</Button>
              </Flex>
            )}
          </Box>
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

export default OutboxPage;
