/**
 * The Dashboard: a manager's figures for their scope (the project, or their departments) over a
 * period: overview, trends, department performance, officer leaderboard, the SLA heatmap
 * (department × priority breach rate), escalations, categories and citizen satisfaction. Every
 * figure comes from GET /reports/dashboard, i.e. the same KPI module as the reports.
 */
import * as React from 'react';
import { Box, Button, Field, Flex, Grid, LinkButton, SingleSelect, SingleSelectOption, Table, Tbody, Td, TextInput, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

const t = (id: string) => `reports.${id}`;
const BLUE = '#4945ff';
const LIGHT = '#9c9aff';

interface Data {
  project: { code: string; name: string };
  projects: Array<{ code: string; name: string }>;
  period: { from: string; to: string; timeZone: string };
  scope: 'project' | 'departments';
  overview: Record<string, number | null>;
  trends: Array<{ month: string; received: number; resolved: number }>;
  departments: Array<{ name: string; received: number; resolved: number; overdue: number }>;
  officers: Array<{ name: string; resolved: number; averageDays: number }>;
  heatmap: Array<{ department: string; priority: string; cases: number; breached: number; rate: number | null }>;
  escalations: Array<{ month: string; level: number; count: number }>;
  categories: Array<{ name: string; received: number; resolved: number }>;
  satisfaction: { counts: Array<{ rating: number; count: number }>; total: number; average: number | null };
}

function Card({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Box background="neutral0" hasRadius shadow="tableShadow" padding={4} data-testid={testId} width="100%">
      <Typography variant="alpha" tag="p">{value}</Typography>
      <Typography variant="pi" textColor="neutral600">{label}</Typography>
    </Box>
  );
}

function Panel({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Box background="neutral0" hasRadius shadow="tableShadow" padding={4} width="100%">
      <Typography variant="delta" tag="h2">{title}</Typography>
      <Box paddingTop={3}>{children}</Box>
    </Box>
  );
}

const heat = (rate: number | null) => (rate == null ? '#f6f6f9' : `rgba(208, 43, 32, ${0.08 + rate * 0.8})`);

/**
 * The period the server answered for, as the first and last local days (yyyy-MM-dd) in the
 * project's time zone. The server's `to` is the start of the day after the last one counted.
 */
function periodDays(period: Data['period']) {
  const day = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: period.timeZone }).format(new Date(ms));
  return { from: day(Date.parse(period.from)), to: day(Date.parse(period.to) - 1) };
}

const DashboardPage = () => {
  const { get, post } = useFetchClient();
  const { formatMessage, formatNumber, formatDate } = useIntl();
  const msg = (id: string, defaultMessage: string, values?: Record<string, React.ReactNode>) => formatMessage({ id: t(id), defaultMessage }, values) as string;
  const [data, setData] = React.useState<Data | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [filters, setFilters] = React.useState({ project: '', from: '', to: '' });

  const load = React.useCallback(async (f: typeof filters) => {
    try {
      const query = new URLSearchParams(Object.entries(f).filter(([, v]) => v) as Array<[string, string]>).toString();
      const res = await get(`/reports/dashboard${query ? `?${query}` : ''}`);
      const answered: Data = res.data.data;
      setData(answered);
      // The date fields show the period the figures are for, including the default one the
      // server chose when the fields were left empty.
      setFilters((current) => ({ ...current, ...periodDays(answered.period) }));
      setError(null);
    } catch (e: any) {
      setError(e?.response?.data?.error?.message ?? msg('error', 'The dashboard could not be loaded.'));
    }
  }, [get]);

  React.useEffect(() => {
    load(filters);
  }, []);

  // The figures on screen as a PDF and a workbook (POST /reports/generate, kind custom): the same project,
  // days and scope, archived for the record.
  const [report, setReport] = React.useState<{ busy: boolean; pdf?: string; xlsx?: string; error?: string }>({ busy: false });
  const makeReport = async () => {
    if (!data) return;
    setReport({ busy: true });
    try {
      const res = await post('/reports/generate', { kind: 'custom', project: data.project.code, ...periodDays(data.period) });
      setReport({ busy: false, pdf: res.data.data.pdf, xlsx: res.data.data.xlsx });
    } catch (e: any) {
      setReport({ busy: false, error: e?.response?.data?.error?.message ?? msg('reportFailed', 'The report could not be made.') });
    }
  };

  const shown = data ? periodDays(data.period) : null;
  // Local days written as dates at noon UTC, so that no time zone moves them to another day.
  const longDay = (day: string) => formatDate(new Date(`${day}T12:00:00Z`), { dateStyle: 'long', timeZone: 'UTC' });
  const n = (v: number | null | undefined) => (v == null ? '—' : formatNumber(v));
  const pct = (v: number | null | undefined) => (v == null ? '—' : formatNumber(v, { style: 'percent', maximumFractionDigits: 0 }));
  const priorities = ['low', 'normal', 'high', 'urgent'];
  const heatDepartments = data ? [...new Set(data.heatmap.map((h) => h.department))] : [];
  const levels = data ? [...new Set(data.escalations.map((e) => e.level))].sort() : [];
  const escalationRows = data
    ? [...new Set(data.escalations.map((e) => e.month))].sort().map((month) => ({ month, ...Object.fromEntries(levels.map((l) => [`L${l}`, data.escalations.find((e) => e.month === month && e.level === l)?.count ?? 0])) }))
    : [];

  return (
    <Page.Main>
      <Page.Title>{msg('dashboard', 'Dashboard')}</Page.Title>
      <Layouts.Header
        title={msg('dashboard', 'Dashboard')}
        subtitle={data ? `${data.project.name} · ${data.scope === 'departments' ? msg('yourDepartments', 'your departments') : msg('wholeProject', 'whole project')}` : undefined}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={4}>
          <Flex gap={3} alignItems="flex-end" wrap="wrap">
            {data && data.projects.length > 1 && (
              <Field.Root name="project" width="240px">
                <Field.Label>{msg('project', 'Project')}</Field.Label>
                <SingleSelect value={filters.project || data.project.code} onChange={(v: string) => setFilters({ ...filters, project: v })}>
                  {data.projects.map((p) => <SingleSelectOption key={p.code} value={p.code}>{p.name}</SingleSelectOption>)}
                </SingleSelect>
              </Field.Root>
            )}
            <Field.Root name="from" width="160px">
              <Field.Label>{msg('from', 'From')}</Field.Label>
              <TextInput type="date" value={filters.from} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setFilters({ ...filters, from: e.target.value })} />
            </Field.Root>
            <Field.Root name="to" width="160px">
              <Field.Label>{msg('to', 'To')}</Field.Label>
              <TextInput type="date" value={filters.to} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setFilters({ ...filters, to: e.target.value })} />
            </Field.Root>
            <Button onClick={() => load(filters)}>{msg('apply', 'Apply')}</Button>
            <Button variant="secondary" disabled={!data || report.busy} loading={report.busy} onClick={makeReport}>
              {msg('makeReport', 'Report (PDF and Excel)')}
            </Button>
            {report.pdf && (
              <Flex gap={3} data-testid="report-links">
                <LinkButton variant="tertiary" href={report.pdf} target="_blank" rel="noreferrer">{msg('pdf', 'PDF')}</LinkButton>
                <LinkButton variant="tertiary" href={report.xlsx} target="_blank" rel="noreferrer">{msg('excel', 'Excel')}</LinkButton>
              </Flex>
            )}
          </Flex>
          {data && shown && (
            <Typography tag="p" data-testid="dashboard-period">
              {msg('periodShown', 'Figures for {from} to {to} (both days included, {timeZone} time).', { from: longDay(shown.from), to: longDay(shown.to), timeZone: data.period.timeZone })}
            </Typography>
          )}
          {report.error && <Typography textColor="danger600">{report.error}</Typography>}
          {error && <Typography textColor="danger600">{error}</Typography>}
          {data && (
            <>
              <Grid.Root gap={4}>
                {[
                  ['received', msg('received', 'Received'), n(data.overview.received)],
                  ['resolved', msg('resolved', 'Resolved'), n(data.overview.resolved)],
                  ['pending', msg('pending', 'Pending'), n(data.overview.pending)],
                  ['escalated', msg('escalated', 'Escalated'), n(data.overview.escalated)],
                  ['ack', msg('ackCompliance', 'Acknowledged on time'), pct(data.overview.acknowledgementCompliance)],
                  ['res', msg('resCompliance', 'Resolved on time'), pct(data.overview.resolutionCompliance)],
                  ['median', msg('medianResolve', 'Median days to resolve'), n(data.overview.medianDaysToResolve)],
                  ['satisfaction', msg('satisfaction', 'Citizen satisfaction (of 5)'), n(data.satisfaction.average)],
                ].map(([key, label, value]) => (
                  <Grid.Item key={key} col={3} s={6} xs={12} alignItems="stretch" direction="column">
                    <Card label={label} value={value} testId={`kpi-${key}`} />
                  </Grid.Item>
                ))}
              </Grid.Root>
              <Grid.Root gap={4}>
                <Grid.Item col={6} s={12} alignItems="stretch" direction="column">
                  <Panel title={msg('trends', 'Trends')}>
                    <ResponsiveContainer width="100%" height={240}>
                      <LineChart data={data.trends}>
                        <CartesianGrid strokeDasharray="3 3" />
                        <XAxis dataKey="month" />
                        <YAxis allowDecimals={false} />
                        <Tooltip />
                        <Legend />
                        <Line type="monotone" dataKey="received" name={msg('received', 'Received')} stroke={LIGHT} strokeWidth={2} />
                        <Line type="monotone" dataKey="resolved" name={msg('resolved', 'Resolved')} stroke={BLUE} strokeWidth={2} />
                      </LineChart>
                    </ResponsiveContainer>
                  </Panel>
                </Grid.Item>
                <Grid.Item col={6} s={12} alignItems="stretch" direction="column">
                  <Panel title={msg('departments', 'Department performance')}>
                    <ResponsiveContainer width="100%" height={240}>
                      <BarChart data={data.departments}>
                        <CartesianGrid strokeDasharray="3 3" />
                        <XAxis dataKey="name" tick={{ fontSize: 10 }} />
                        <YAxis allowDecimals={false} />
                        <Tooltip />
                        <Legend />
                        <Bar dataKey="received" name={msg('received', 'Received')} fill={LIGHT} />
                        <Bar dataKey="resolved" name={msg('resolved', 'Resolved')} fill={BLUE} />
                        <Bar dataKey="overdue" name={msg('overdue', 'Overdue')} fill="#d02b20" />
                      </BarChart>
                    </ResponsiveContainer>
                  </Panel>
                </Grid.Item>
                <Grid.Item col={6} s={12} alignItems="stretch" direction="column">
                  <Panel title={msg('heatmap', 'SLA breaches: department × priority')}>
                    <Table colCount={priorities.length + 1} rowCount={heatDepartments.length + 1}>
                      <Thead>
                        <Tr>
                          <Th><Typography variant="sigma">{msg('department', 'Department')}</Typography></Th>
                          {priorities.map((p) => <Th key={p}><Typography variant="sigma">{p}</Typography></Th>)}
                        </Tr>
                      </Thead>
                      <Tbody>
                        {heatDepartments.map((d) => (
                          <Tr key={d}>
                            <Td><Typography>{d}</Typography></Td>
                            {priorities.map((p) => {
                              const cell = data.heatmap.find((h) => h.department === d && h.priority === p);
                              return (
                                <Td key={p} style={{ background: heat(cell?.rate ?? null) }}>
                                  <Typography>{cell ? `${pct(cell.rate)} (${cell.breached}/${cell.cases})` : '—'}</Typography>
                                </Td>
                              );
                            })}
                          </Tr>
                        ))}
                      </Tbody>
                    </Table>
                  </Panel>
                </Grid.Item>
                <Grid.Item col={6} s={12} alignItems="stretch" direction="column">
                  <Panel title={msg('officers', 'Officer leaderboard')}>
                    <Table colCount={3} rowCount={data.officers.length + 1}>
                      <Thead>
                        <Tr>
                          <Th><Typography variant="sigma">{msg('officer', 'Officer')}</Typography></Th>
                          <Th><Typography variant="sigma">{msg('resolved', 'Resolved')}</Typography></Th>
                          <Th><Typography variant="sigma">{msg('averageDays', 'Average days')}</Typography></Th>
                        </Tr>
                      </Thead>
                      <Tbody>
                        {data.officers.slice(0, 10).map((o) => (
                          <Tr key={o.name}>
                            <Td><Typography>{o.name}</Typography></Td>
                            <Td><Typography>{n(o.resolved)}</Typography></Td>
                            <Td><Typography>{n(o.averageDays)}</Typography></Td>
                          </Tr>
                        ))}
                      </Tbody>
                    </Table>
                  </Panel>
                </Grid.Item>
                <Grid.Item col={6} s={12} alignItems="stretch" direction="column">
                  <Panel title={msg('escalations', 'Escalations by level')}>
                    <ResponsiveContainer width="100%" height={220}>
                      <BarChart data={escalationRows}>
                        <CartesianGrid strokeDasharray="3 3" />
                        <XAxis dataKey="month" />
                        <YAxis allowDecimals={false} />
                        <Tooltip />
                        <Legend />
                        {levels.map((l, i) => <Bar key={l} dataKey={`L${l}`} name={msg('level', 'Level {level}', { level: l })} stackId="e" fill={['#9c9aff', '#4945ff', '#271fe0', '#181826'][i % 4]} />)}
                      </BarChart>
                    </ResponsiveContainer>
                  </Panel>
                </Grid.Item>
                <Grid.Item col={6} s={12} alignItems="stretch" direction="column">
                  <Panel title={msg('categories', 'Categories')}>
                    <ResponsiveContainer width="100%" height={220}>
                      <BarChart data={data.categories} layout="vertical" margin={{ left: 60 }}>
                        <CartesianGrid strokeDasharray="3 3" />
                        <XAxis type="number" allowDecimals={false} />
                        <YAxis type="category" dataKey="name" width={140} tick={{ fontSize: 10 }} />
                        <Tooltip />
                        <Bar dataKey="received" name={msg('received', 'Received')} fill={BLUE} />
                      </BarChart>
                    </ResponsiveContainer>
                  </Panel>
                </Grid.Item>
                <Grid.Item col={6} s={12} alignItems="stretch" direction="column">
                  <Panel title={msg('satisfactionTitle', 'Citizen satisfaction')}>
                    <ResponsiveContainer width="100%" height={200}>
                      <BarChart data={data.satisfaction.counts}>
                        <CartesianGrid strokeDasharray="3 3" />
                        <XAxis dataKey="rating" />
                        <YAxis allowDecimals={false} />
                        <Tooltip />
                        <Bar dataKey="count" name={msg('ratings', 'Ratings')} fill={BLUE} />
                      </BarChart>
                    </ResponsiveContainer>
                  </Panel>
                </Grid.Item>
              </Grid.Root>
            </>
          )}
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

export default DashboardPage;
