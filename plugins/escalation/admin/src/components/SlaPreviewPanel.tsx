/**
 * The "Impact" panel beside the SLA level form: before saving, the administrator previews which
 * open cases at this level the edited (unsaved) durations would put at risk, breach or escalate.
 * Saving applies the new durations to those cases (the server recomputes their deadlines).
 */
import * as React from 'react';
import { Badge, Box, Button, Flex, Typography } from '@strapi/design-system';
import { unstable_useContentManagerContext as useContentManagerContext, useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

const SLA_LEVEL = 'api::sla-level.sla-level';
const t = (id: string) => `escalation.${id}`;
const SHOWN = 10;

interface PreviewCase {
  documentId: string;
  trackingCode: string;
  from: { slaState: string; resolveDueAt: string | null };
  to: { slaState: string; resolveDueAt: string | null; escalate: boolean };
}
interface PreviewResult {
  checked: number;
  affected: number;
  atRisk: number;
  breached: number;
  escalated: number;
  cases: PreviewCase[];
}

/** Form values as the content manager holds them: numbers may be strings, empty means none. */
const hours = (value: unknown): number | null => (value === '' || value == null ? null : Number(value));

function PreviewContent({ documentId }: { documentId: string }) {
  const { post } = useFetchClient();
  const { formatMessage, formatDate } = useIntl();
  const context = useContentManagerContext() as { form: { values: Record<string, any> } };
  const [result, setResult] = React.useState<PreviewResult | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [busy, setBusy] = React.useState(false);
  const msg = (id: string, defaultMessage: string, values?: Record<string, React.ReactNode>) => formatMessage({ id: t(id), defaultMessage }, values) as string;

  const run = async () => {
    const v = context.form.values;
    setBusy(true);
    try {
      const res = await post('/escalation/sla-levels/preview', {
        level: documentId,
        order: hours(v.order),
        acknowledgeWithinHours: hours(v.acknowledgeWithinHours),
        resolveWithinHours: hours(v.resolveWithinHours),
        remindBeforeHours: hours(v.remindBeforeHours),
        calendar: v.calendar ?? 'business',
        priorityOverrides: v.priorityOverrides && typeof v.priorityOverrides === 'object' ? v.priorityOverrides : null,
      });
      setResult(res.data.data);
      setError(null);
    } catch (e: any) {
      setError(e?.response?.data?.error?.message ?? msg('error', 'The preview failed.'));
    } finally {
      setBusy(false);
    }
  };

  const due = (iso: string | null) => (iso ? formatDate(iso, { dateStyle: 'medium', timeStyle: 'short' }) : msg('noLimit', 'no limit'));

  return (
    <Flex direction="column" alignItems="stretch" gap={3} width="100%">
      <Typography variant="pi" textColor="neutral600">
        {msg('explain', 'See which open cases at this level your unsaved changes would affect. Saving applies them to those cases.')}
      </Typography>
      <Button variant="secondary" onClick={run} loading={busy} data-testid="sla-preview">
        {msg('button', 'Preview impact')}
      </Button>
      {error && <Typography textColor="danger600">{error}</Typography>}
      {result && (
        <Box data-testid="sla-preview-result">
          <Typography variant="omega" fontWeight="bold">
            {msg('summary', '{affected} of {checked} open cases would change', { affected: result.affected, checked: result.checked })}
          </Typography>
          <Flex gap={2} wrap="wrap" paddingTop={2}>
            <Badge textColor="warning700" backgroundColor="warning100">{msg('atRisk', 'At risk: {n}', { n: result.atRisk })}</Badge>
            <Badge textColor="danger700" backgroundColor="danger100">{msg('breached', 'Overdue: {n}', { n: result.breached })}</Badge>
            <Badge textColor="danger700" backgroundColor="danger100">{msg('escalated', 'Would escalate: {n}', { n: result.escalated })}</Badge>
          </Flex>
          <Flex direction="column" alignItems="stretch" gap={1} paddingTop={2}>
            {result.cases.slice(0, SHOWN).map((c) => (
              <Typography key={c.documentId} variant="pi">
                <strong>{c.trackingCode}</strong> · {due(c.from.resolveDueAt)} → {due(c.to.resolveDueAt)}
                {c.to.escalate ? ` · ${msg('willEscalate', 'escalates')}` : ''}
              </Typography>
            ))}
            {result.affected > SHOWN && <Typography variant="pi" textColor="neutral600">{msg('more', 'and {n} more', { n: result.affected - SHOWN })}</Typography>}
          </Flex>
        </Box>
      )}
    </Flex>
  );
}

export const SlaPreviewPanel = ({ model, documentId }: { model: string; documentId?: string }) => {
  const { formatMessage } = useIntl();
  if (model !== SLA_LEVEL || !documentId) return null;
  return { title: formatMessage({ id: t('panel'), defaultMessage: 'Impact on open cases' }), content: <PreviewContent documentId={documentId} /> };
};
