/**
 * The Workflow panel beside the grievance form: status, priority, SLA badge and due time, the
 * actions this staff member may take now (with a dialog for required inputs), and the timeline.
 * Every change goes through the workflow API; the form's own status field is read-only.
 */
import * as React from 'react';
import { Badge, Box, Button, Field, Flex, Link, Loader, Modal, SingleSelect, SingleSelectOption, Textarea, Typography } from '@strapi/design-system';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

const GRIEVANCE = 'api::grievance.grievance';
const t = (id: string) => `workflow.${id}`;

interface ActionInfo {
  action: string;
  requires: string[];
}
interface PanelData {
  status: string;
  version: number;
  priority: string | null;
  slaState: string;
  escalationLevel: number;
  levels: number;
  resolveDueAt: string | null;
  acknowledgeDueAt: string | null;
  assignee: { id: number; name: string } | null;
  readOnly: boolean;
  pendingTransfer: { toDepartment: { documentId: string; name: string }; reason: string; requestedByMe: boolean } | null;
  analysis: { priorityReasons: string[]; sentiment: number | null; duplicates: Array<{ trackingCode: string; documentId: string; score: number }> } | null;
  actions: ActionInfo[];
}
interface HistoryEntry {
  id: number;
  type: string;
  action: string;
  toStatus: string;
  actor: { type: string; label: string };
  note: string | null;
  visibility: string;
  occurredAt: string;
}

const SLA_COLOURS: Record<string, { text: string; bg: string }> = {
  on_track: { text: 'success700', bg: 'success100' },
  at_risk: { text: 'warning700', bg: 'warning100' },
  breached: { text: 'danger700', bg: 'danger100' },
  no_limit: { text: 'neutral700', bg: 'neutral150' },
};

function WorkflowContent({ documentId }: { documentId: string }) {
  const { get, post } = useFetchClient();
  const { formatMessage, formatDate } = useIntl();
  const { toggleNotification } = useNotification();
  const [data, setData] = React.useState<PanelData | null>(null);
  const [history, setHistory] = React.useState<HistoryEntry[]>([]);
  const [error, setError] = React.useState<string | null>(null);
  const [dialog, setDialog] = React.useState<ActionInfo | null>(null);
  const [busy, setBusy] = React.useState(false);

  const msg = (id: string, defaultMessage: string, values?: Record<string, React.ReactNode>) =>
    formatMessage({ id: t(id), defaultMessage }, values) as string;
  const label = (action: string) => msg(`action.${action}`, action.replace(/_/g, ' '));
  const statusLabel = (status: string) => msg(`status.${status}`, status.replace(/_/g, ' '));

  const load = React.useCallback(async () => {
    try {
      const [actions, timeline] = await Promise.all([
        get(`/cases/grievances/${documentId}/actions`),
        get(`/cases/grievances/${documentId}/history`),
      ]);
      setData(actions.data.data);
      setHistory(timeline.data.data);
      setError(null);
    } catch (e: any) {
      setError(e?.response?.data?.error?.message ?? msg('error.load', 'The workflow could not be loaded.'));
    }
  }, [documentId, get]);

  React.useEffect(() => {
    load();
  }, [load]);

  const act = async (action: string, input: Record<string, unknown> = {}) => {
    if (!data) return;
    setBusy(true);
    try {
      await post(`/cases/grievances/${documentId}/transitions`, { action, version: data.version, ...input });
      toggleNotification({ type: 'success', message: msg('done', '{action}: done.', { action: label(action) }) });
      setDialog(null);
      // The form shows status and version read-only; reload so it matches the case.
      window.location.reload();
    } catch (e: any) {
      const apiError = e?.response?.data?.error;
      toggleNotification({ type: 'danger', message: apiError?.message ?? msg('error.act', 'The action failed.') });
      if (apiError?.details?.code === 'STALE_VERSION') await load();
    } finally {
      setBusy(false);
    }
  };

  if (error) return <Typography textColor="danger600">{error}</Typography>;
  if (!data) return <Loader small>{msg('loading', 'Loading workflow')}</Loader>;
  const sla = SLA_COLOURS[data.slaState] ?? SLA_COLOURS.on_track;

  return (
    <Flex direction="column" alignItems="stretch" gap={3} width="100%">
      <Flex gap={2} wrap="wrap">
        <Badge data-testid="workflow-status">{statusLabel(data.status)}</Badge>
        {data.priority && <Badge>{msg(`priority.${data.priority}`, data.priority)}</Badge>}
        <Badge textColor={sla.text} backgroundColor={sla.bg}>{msg(`sla.${data.slaState}`, data.slaState.replace(/_/g, ' '))}</Badge>
      </Flex>
      <Typography variant="pi" textColor="neutral600">
        {msg('level', 'Level {level} of {levels}', { level: data.escalationLevel, levels: data.levels })}
        {data.resolveDueAt && ` · ${msg('resolveBy', 'resolve by {date}', { date: formatDate(data.resolveDueAt, { dateStyle: 'medium', timeStyle: 'short' }) })}`}
      </Typography>
      {data.assignee && (
        <Typography variant="pi">{msg('assignee', 'Assigned to {name}', { name: data.assignee.name })}</Typography>
      )}
      {data.analysis && (data.analysis.duplicates.length > 0 || data.analysis.priorityReasons.length > 1) && (
        <Box background="neutral100" padding={2} hasRadius data-testid="intake-analysis">
          {data.analysis.priorityReasons.length > 1 && (
            <Typography variant="pi" tag="p">{data.analysis.priorityReasons.join(' ')}</Typography>
          )}
          {data.analysis.duplicates.map((d) => (
            <Typography variant="pi" tag="p" key={d.documentId}>
              {msg('duplicate', 'Possible duplicate of {code} ({score} similar)', { code: d.trackingCode, score: `${Math.round(d.score * 100)} %` })}{' '}
              <Link href={`${window.location.pathname.split("/content-manager")[0]}/content-manager/collection-types/api::grievance.grievance/${d.documentId}`}>{msg('open', 'Open')}</Link>
            </Typography>
          ))}
        </Box>
      )}
      {data.pendingTransfer && (
        <Box background="warning100" padding={2} hasRadius>
          <Typography variant="pi">
            {msg('pendingTransfer', 'Transfer to {department} requested: {reason}', {
              department: data.pendingTransfer.toDepartment.name,
              reason: data.pendingTransfer.reason,
            })}
          </Typography>
          {data.pendingTransfer.requestedByMe && (
            <Typography variant="pi" tag="p" data-testid="own-transfer">
              {msg('ownTransfer', 'You asked for this transfer: another person approves or denies it.')}
            </Typography>
          )}
        </Box>
      )}
      {data.readOnly && (
        <Typography variant="pi" textColor="neutral600" data-testid="workflow-read-only">
          {msg('readOnly', 'You may read this case but not change its form.')}
        </Typography>
      )}
      <Flex direction="column" alignItems="stretch" gap={2}>
        {data.actions.length === 0 && (
          <Typography variant="pi" textColor="neutral600">{msg('noActions', 'No action is open to you on this case.')}</Typography>
        )}
        {data.actions.map((info) => (
          <Button
            key={info.action}
            fullWidth
            variant={info.action === 'note' ? 'tertiary' : info.action === 'reject' || info.action === 'deny_transfer' ? 'danger-light' : 'secondary'}
            disabled={busy}
            onClick={() => (info.requires.length === 0 ? act(info.action) : setDialog(info))}
          >
            {label(info.action)}
          </Button>
        ))}
      </Flex>
      {dialog && (
        <ActionDialog
          documentId={documentId}
          info={dialog}
          title={label(dialog.action)}
          busy={busy}
          onCancel={() => setDialog(null)}
          onSubmit={(input) => act(dialog.action, input)}
        />
      )}
      <Box paddingTop={2}>
        <Typography variant="sigma" textColor="neutral600">{msg('timeline', 'Timeline')}</Typography>
        <Flex direction="column" alignItems="stretch" gap={2} paddingTop={2} tag="ol">
          {[...history].reverse().map((entry) => (
            <Box key={entry.id} tag="li" paddingLeft={2} style={{ borderLeft: '2px solid #dcdce4' }}>
              <Typography variant="omega" fontWeight="semiBold">
                {entry.type === 'note' ? msg('note', 'Note') : label(entry.action === 'submit' ? 'submit' : entry.action)}
                {entry.type !== 'note' && ` → ${statusLabel(entry.toStatus)}`}
              </Typography>
              <Typography variant="pi" textColor="neutral600" tag="p">
                {entry.actor.label} · {formatDate(entry.occurredAt, { dateStyle: 'medium', timeStyle: 'short' })}
                {entry.visibility === 'internal' && entry.note ? ` · ${msg('internal', 'internal')}` : ''}
              </Typography>
              {entry.note && <Typography variant="pi" tag="p">{entry.note}</Typography>}
            </Box>
          ))}
        </Flex>
        <Box paddingTop={2}>
          <Link href={`${window.location.pathname.split('/content-manager')[0]}/plugins/audit?entity=${documentId}`}>
            {msg('auditTrail', 'Audit trail of this case')}
          </Link>
        </Box>
      </Box>
    </Flex>
  );
}

function ActionDialog(props: {
  documentId: string;
  info: ActionInfo;
  title: string;
  busy: boolean;
  onCancel: () => void;
  onSubmit: (input: Record<string, unknown>) => void;
}) {
  const { get } = useFetchClient();
  const { formatMessage, locale } = useIntl();
  const [values, setValues] = React.useState<Record<string, string>>({});
  const [options, setOptions] = React.useState<{ assignee: Array<{ id: number; name: string }>; toDepartment: Array<{ documentId: string; name: string }> }>({
    assignee: [],
    toDepartment: [],
  });
  const needs = (field: string) => props.info.requires.includes(field);
  const msg = (id: string, defaultMessage: string) => formatMessage({ id: t(id), defaultMessage });

  React.useEffect(() => {
    if (needs('assignee')) {
      get(`/cases/grievances/${props.documentId}/assignees`).then((res) => setOptions((o) => ({ ...o, assignee: res.data.data })));
    }
    if (needs('toDepartment')) {
      // The other departments of the case's project: never the one that already has it.
      get(`/cases/grievances/${props.documentId}/transfer-targets`, { params: { locale } }).then((res) =>
        setOptions((o) => ({ ...o, toDepartment: res.data.data }))
      );
    }
  }, [props.documentId]);

  const textFields = ['resolution', 'reason', 'note', 'justification'].filter(needs);
  const complete = props.info.requires.every((f) => (values[f] ?? '').trim() !== '');
  const submit = () => {
    const input: Record<string, unknown> = { ...values };
    if (input.assignee) input.assignee = Number(input.assignee);
    if (props.info.action === 'note') input.visibility = values.visibility || 'internal';
    props.onSubmit(input);
  };

  return (
    <Modal.Root open onOpenChange={(open: boolean) => !open && props.onCancel()}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>{props.title}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" alignItems="stretch" gap={4}>
            {needs('assignee') && (
              <Field.Root name="assignee" required>
                <Field.Label>{msg('field.assignee', 'Officer')}</Field.Label>
                <SingleSelect value={values.assignee} onChange={(v: string | number) => setValues({ ...values, assignee: String(v) })}>
                  {options.assignee.map((o) => (
                    <SingleSelectOption key={o.id} value={String(o.id)}>{o.name}</SingleSelectOption>
                  ))}
                </SingleSelect>
              </Field.Root>
            )}
            {needs('toDepartment') && (
              <Field.Root name="toDepartment" required>
                <Field.Label>{msg('field.toDepartment', 'Transfer to department')}</Field.Label>
                <SingleSelect value={values.toDepartment} onChange={(v: string | number) => setValues({ ...values, toDepartment: String(v) })}>
                  {options.toDepartment.map((o) => (
                    <SingleSelectOption key={o.documentId} value={o.documentId}>{o.name}</SingleSelectOption>
                  ))}
                </SingleSelect>
              </Field.Root>
            )}
            {textFields.map((field) => (
              <Field.Root key={field} name={field} required>
                <Field.Label>{msg(`field.${field}`, field)}</Field.Label>
                <Textarea name={field} value={values[field] ?? ''} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setValues({ ...values, [field]: e.target.value })} />
              </Field.Root>
            ))}
            {props.info.action === 'note' && (
              <Field.Root name="visibility">
                <Field.Label>{msg('field.visibility', 'Who may see this note')}</Field.Label>
                <SingleSelect value={values.visibility ?? 'internal'} onChange={(v: string | number) => setValues({ ...values, visibility: String(v) })}>
                  <SingleSelectOption value="internal">{msg('visibility.internal', 'Staff only')}</SingleSelectOption>
                  <SingleSelectOption value="public">{msg('visibility.public', 'Also the citizen (tracking page)')}</SingleSelectOption>
                </SingleSelect>
              </Field.Root>
            )}
          </Flex>
        </Modal.Body>
        <Modal.Footer>
          <Modal.Close>
            <Button variant="tertiary">{msg('cancel', 'Cancel')}</Button>
          </Modal.Close>
          <Button onClick={submit} disabled={!complete || props.busy} loading={props.busy}>
            {props.title}
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
}

/** Side-panel descriptor for the content manager's edit view. */
export const WorkflowPanel = ({ model, documentId }: { model: string; documentId?: string }) => {
  const { formatMessage } = useIntl();
  if (model !== GRIEVANCE || !documentId) return null;
  return { title: formatMessage({ id: t('panel'), defaultMessage: 'Workflow' }), content: <WorkflowContent documentId={documentId} /> };
};
