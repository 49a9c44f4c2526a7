/**
 * The Audit log page: filter the trail by case, staff member, action and dates, page through
 * it, verify the chain, and export the filtered range for external archiving.
 */
import * as React from 'react';
import { Box, Button, Flex, Status, Table, Tbody, Td, TextInput, Th, Thead, Tr, Typography, Field } from '@strapi/design-system';
import { Layouts, Page, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useSearchParams } from 'react-router-dom';

interface AuditEvent {
  seq: number;
  occurredAt: string;
  actorType: string;
  actorLabel: string;
  action: string;
  entityType: string | null;
  entityId: string | null;
  diff: Record<string, unknown> | null;
  ip: string | null;
  hash: string;
}
interface VerifyResult {
  ok: boolean;
  checked: number;
  head: { seq: number; hash: string } | null;
  brokenAt?: { seq: number; reason: string };
}

const FILTERS = ['entity', 'actor', 'action', 'from', 'to'] as const;
const PAGE_SIZE = 25;

const summary = (diff: AuditEvent['diff']) => {
  if (!diff) return '';
  const text = Object.entries(diff)
    .map(([field, change]) => {
      const c = change as { from?: unknown; to?: unknown } | unknown;
      if (c && typeof c === 'object' && 'to' in (c as object)) {
        const { from, to } = c as { from?: unknown; to?: unknown };
        return from === undefined ? `${field}: ${JSON.stringify(to)}` : `${field}: ${JSON.stringify(from)} → ${JSON.stringify(to)}`;
      }
      return `${field}: ${JSON.stringify(c)}`;
    })
    .join('; ');
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
};

export default function AuditLog() {
  const { get } = useFetchClient();
  const { formatMessage, formatDate } = useIntl();
  const { toggleNotification } = useNotification();
  const [params, setParams] = useSearchParams();
  const [draft, setDraft] = React.useState<Record<string, string>>(() => Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])));
  const [rows, setRows] = React.useState<AuditEvent[]>([]);
  const [total, setTotal] = React.useState(0);
  const [verifying, setVerifying] = React.useState(false);
  const [verified, setVerified] = React.useState<VerifyResult | null>(null);
  const page = Number(params.get('page') ?? 1);
  const msg = (id: string, defaultMessage: string, values?: Record<string, unknown>) =>
    formatMessage({ id: `audit.${id}`, defaultMessage }, values as any) as string;

  const query = React.useMemo(() => {
    const q: Record<string, string> = { page: String(page), pageSize: String(PAGE_SIZE) };
    for (const f of FILTERS) {
      const value = params.get(f);
      if (value) q[f] = f === 'from' || f === 'to' ? new Date(value).toISOString() : value;
    }
    return q;
  }, [params, page]);

  React.useEffect(() => {
    get('/audit/events', { params: query })
      .then((res) => {
        setRows(res.data.data);
        setTotal(res.data.meta.pagination.total);
      })
      .catch((e) => toggleNotification({ type: 'danger', message: e?.response?.data?.error?.message ?? 'Error' }));
  }, [query]);

  const apply = (event: React.FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const f of FILTERS) if (draft[f]) next.set(f, draft[f]);
    setParams(next);
  };

  const verify = async () => {
    setVerifying(true);
    try {
      setVerified((await get('/audit/verify')).data.data);
    } finally {
      setVerifying(false);
    }
  };

  const download = async (format: 'csv' | 'jsonl') => {
    const { page: _p, pageSize: _s, ...filters } = query;
    const res = await get('/audit/events/export', { params: { ...filters, format }, responseType: 'blob' });
    const url = URL.createObjectURL(res.data as Blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `audit.${format}`;
    link.click();
    URL.revokeObjectURL(url);
  };

  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const goTo = (n: number) => {
    const next = new URLSearchParams(params);
    next.set('page', String(n));
    setParams(next);
  };

  return (
    <Page.Main>
      <Page.Title>{msg('title', 'Audit log')}</Page.Title>
      <Layouts.Header
        title={msg('title', 'Audit log')}
        subtitle={msg('subtitle', '{total} events', { total })}
        primaryAction={
          <Button onClick={verify} loading={verifying} variant="secondary">
            {msg('verify', 'Verify the chain')}
          </Button>
        }
      />
      <Layouts.Content>
        {verified && (
          <Box paddingBottom={4}>
            <Status variant={verified.ok ? 'success' : 'danger'} data-testid="audit-verify-result">
              <Typography>
                {verified.ok
                  ? msg('intact', 'Intact: {checked} events, head #{seq} {hash}', { checked: verified.checked, seq: verified.head?.seq ?? 0, hash: verified.head?.hash.slice(0, 16) ?? '' })
                  : msg('broken', 'Broken at event #{seq} ({reason}); {checked} events before it are intact.', {
                      seq: verified.brokenAt?.seq,
                      reason: verified.brokenAt?.reason,
                      checked: verified.checked,
                    })}
              </Typography>
            </Status>
          </Box>
        )}
        <Box background="neutral0" padding={4} hasRadius shadow="tableShadow" marginBottom={4}>
          <form onSubmit={apply}>
            <Flex gap={3} alignItems="flex-end" wrap="wrap">
              {FILTERS.map((f) => (
                <Field.Root key={f} name={f} width="180px">
                  <Field.Label>{msg(`filter.${f}`, f)}</Field.Label>
                  <TextInput
                    name={f}
                    type={f === 'from' || f === 'to' ? 'datetime-local' : 'text'}
                    value={draft[f]}
                    onChange={(e: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, [f]: e.target.value })}
                  />
                </Field.Root>
              ))}
              <Button type="submit">{msg('apply', 'Filter')}</Button>
              <Button variant="tertiary" onClick={() => download('csv')}>CSV</Button>
              <Button variant="tertiary" onClick={() => download('jsonl')}>JSON Lines</Button>
            </Flex>
          </form>
        </Box>
        <Table colCount={6} rowCount={rows.length}>
          <Thead>
            <Tr>
              <Th><Typography variant="sigma">#</Typography></Th>
              <Th><Typography variant="sigma">{msg('col.when', 'When')}</Typography></Th>
              <Th><Typography variant="sigma">{msg('col.who', 'Who')}</Typography></Th>
              <Th><Typography variant="sigma">{msg('col.action', 'Action')}</Typography></Th>
              <Th><Typography variant="sigma">{msg('col.entity', 'Record')}</Typography></Th>
              <Th><Typography variant="sigma">{msg('col.change', 'Change')}</Typography></Th>
            </Tr>
          </Thead>
          <Tbody>
            {rows.map((row) => (
              <Tr key={row.seq}>
                <Td><Typography>{row.seq}</Typography></Td>
                <Td><Typography>{formatDate(row.occurredAt, { dateStyle: 'medium', timeStyle: 'medium' })}</Typography></Td>
                <Td>
                  <Typography>{row.actorLabel}</Typography>
                  {row.ip && <Typography variant="pi" textColor="neutral600" tag="p">{row.ip}</Typography>}
                </Td>
                <Td><Typography fontWeight="semiBold">{row.action}</Typography></Td>
                <Td><Typography variant="pi">{row.entityType ? `${row.entityType.split('.').pop()} ${row.entityId ?? ''}` : ''}</Typography></Td>
                <Td><Typography variant="pi">{summary(row.diff)}</Typography></Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
        <Flex justifyContent="space-between" paddingTop={4}>
          <Typography variant="pi">{msg('page', 'Page {page} of {pageCount}', { page, pageCount })}</Typography>
          <Flex gap={2}>
            <Button variant="tertiary" disabled={page <= 1} onClick={() => goTo(page - 1)}>{msg('previous', 'Previous')}</Button>
            <Button variant="tertiary" disabled={page >= pageCount} onClick={() => goTo(page + 1)}>{msg('next', 'Next')}</Button>
          </Flex>
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
}
