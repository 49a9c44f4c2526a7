/**
 * The Security page: set up an authenticator app (QR code, then a first code), and confirm it
 * is you (password and a current code) before a sensitive action: rejecting a case, overriding
 * its priority, changing roles, scopes or a head post, exporting citizens' contacts.
 */
import * as React from 'react';
import { Box, Button, Field, Flex, Status, TextInput, Typography } from '@strapi/design-system';
import { Layouts, Page, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

interface SecondFactorStatus {
  enrolled: boolean;
  enrolmentPending: boolean;
  stepUpUntil: string | null;
}
interface Enrolment {
  secret: string;
  otpauthUri: string;
  qrSvg: string;
}

export default function Security() {
  const { get, post } = useFetchClient();
  const { formatMessage, formatTime } = useIntl();
  const { toggleNotification } = useNotification();
  const [status, setStatus] = React.useState<SecondFactorStatus | null>(null);
  const [enrolment, setEnrolment] = React.useState<Enrolment | null>(null);
  const [password, setPassword] = React.useState('');
  const [code, setCode] = React.useState('');
  const [busy, setBusy] = React.useState(false);
  const msg = (id: string, defaultMessage: string, values?: Record<string, unknown>) => formatMessage({ id: `security.${id}`, defaultMessage }, values as any) as string;

  const load = () => get('/security/second-factor').then((res) => setStatus(res.data.data));
  React.useEffect(() => {
    load().catch(() => undefined);
  }, []);

  /** Sends one request; shows the server's message when it refuses. */
  const submit = (path: string, body: Record<string, string>, done: (data: any) => void) => async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const res = await post(path, body);
      done(res.data.data);
      setPassword('');
      setCode('');
      await load();
    } catch (e: any) {
      toggleNotification({ type: 'danger', message: e?.response?.data?.error?.message ?? msg('error', 'Something went wrong.') });
    } finally {
      setBusy(false);
    }
  };

  const passwordField = (
    <Field.Root name="password" required>
      <Field.Label>{msg('password', 'Your password')}</Field.Label>
      <TextInput type="password" autoComplete="current-password" value={password} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setPassword(e.target.value)} />
    </Field.Root>
  );
  const codeField = (
    <Field.Root name="code" required hint={msg('codeHint', 'The six digits your authenticator app shows now.')}>
      <Field.Label>{msg('code', 'Code from the app')}</Field.Label>
      <TextInput inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setCode(e.target.value.replace(/\D/g, ''))} />
      <Field.Hint />
    </Field.Root>
  );

  return (
    <Page.Main>
      <Page.Title>{msg('title', 'Security')}</Page.Title>
      <Layouts.Header title={msg('title', 'Security')} subtitle={msg('subtitle', 'Your authenticator app and confirming it is you before sensitive actions')} />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={4}>
          {status && (
            <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
              <Flex gap={3}>
                <Status variant={status.enrolled ? 'success' : 'warning'} size="S">
                  <Typography>{status.enrolled ? msg('enrolled', 'Authenticator set up') : msg('notEnrolled', 'No authenticator yet')}</Typography>
                </Status>
                {status.stepUpUntil && (
                  <Status variant="success" size="S">
                    <Typography>{msg('steppedUp', 'Confirmed until {time}', { time: formatTime(status.stepUpUntil) })}</Typography>
                  </Status>
                )}
              </Flex>
            </Box>
          )}

          {status && !status.enrolled && (
            <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
              <Typography variant="delta" tag="h2">{msg('setUp', 'Set up an authenticator app')}</Typography>
              <Box paddingTop={2} paddingBottom={4}>
                <Typography textColor="neutral600">
                  {msg('setUpHelp', 'Rejecting a case, overriding a priority, changing roles, scopes or a head post and exporting citizens\' contacts ask for a code from an app such as FreeOTP, Aegis, Google or Microsoft Authenticator.')}
                </Typography>
              </Box>
              {!enrolment ? (
                <form onSubmit={submit('/security/second-factor', { password }, setEnrolment)}>
                  <Flex direction="column" alignItems="stretch" gap={4} maxWidth="32rem">
                    {passwordField}
                    <Button type="submit" loading={busy}>{msg('start', 'Show the QR code')}</Button>
                  </Flex>
                </form>
              ) : (
                <form onSubmit={submit('/security/second-factor/confirm', { code }, () => setEnrolment(null))}>
                  <Flex direction="column" alignItems="stretch" gap={4} maxWidth="32rem">
                    <Typography>{msg('scan', 'Scan this code with the app, then type the six digits it shows.')}</Typography>
                    <img alt={msg('qr', 'QR code for your authenticator app')} width={200} height={200} src={`data:image/svg+xml;base64,${btoa(enrolment.qrSvg)}`} />
                    <Typography variant="pi" textColor="neutral600">{msg('manual', 'Or enter this key by hand: {secret}', { secret: enrolment.secret })}</Typography>
                    {codeField}
                    <Button type="submit" loading={busy}>{msg('confirm', 'Finish set-up')}</Button>
                  </Flex>
                </form>
              )}
            </Box>
          )}

          {status?.enrolled && (
            <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
              <Typography variant="delta" tag="h2">{msg('stepUp', 'Confirm it is you')}</Typography>
              <Box paddingTop={2} paddingBottom={4}>
                <Typography textColor="neutral600">{msg('stepUpHelp', 'For the next few minutes, in this browser, you can then take sensitive actions.')}</Typography>
              </Box>
              <form onSubmit={submit('/security/step-up', { password, code }, () => undefined)}>
                <Flex direction="column" alignItems="stretch" gap={4} maxWidth="32rem">
                  {passwordField}
                  {codeField}
                  <Button type="submit" loading={busy}>{msg('confirmIdentity', 'Confirm')}</Button>
                </Flex>
              </form>
            </Box>
          )}
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
}
