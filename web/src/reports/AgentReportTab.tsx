// The agent report (P2): per agent and period, offers, answered, handled, no-answers,
// transfers, AHT split into talk / hold / wrap-up, occupancy, and time signed in, idle,
// talking, in wrap-up, busy and resting (by reason); a stacked chart of the time per state;
// exports. An agent's name opens their day.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { reportsApi, usersApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { AgentFigures, AgentReportRow } from '../api/types';
import { useT, type TFunc } from '../i18n';
import Chart from '../components/Chart';
import { formatMs, formatPercent } from '../supervisor/figures';
import { reasonLabel } from '../workbench/labels';
import AgentDayDrawer, { type DayOf } from '../timeline/AgentDayDrawer';
import { agentChart, CHART_STATES } from './model';
import ReportFilters from './ReportFilters';
import { useReport } from './useReport';

export default function AgentReportTab({ today }: { today: string }) {
  const t = useT();
  const r = useReport('agents', reportsApi.agents, today);
  const report = r.report;
  const perPeriod = report != null && report.interval !== 'total';
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const [dayOf, setDayOf] = useState<(DayOf & { date?: string }) | null>(null);

  // Everyone's names where the user may list them; else the agents the reports have named.
  useEffect(() => {
    usersApi.directory().then(
      (us) => setNames((m) => new Map([...m, ...us.map((u) => [u.id, u.display_name] as [string, string])])),
      () => undefined,
    );
  }, []);
  useEffect(() => {
    if (!report) return;
    setNames((m) => {
      const next = new Map(m);
      for (const row of report.totals) if (row.agent_name && !next.has(row.agent_id)) next.set(row.agent_id, row.agent_name);
      return next;
    });
  }, [report]);

  const options = useMemo(
    () => (report ? agentChart(report.totals, Object.fromEntries(CHART_STATES.map((s) => [s, t(`state.${s}`)])) as Record<(typeof CHART_STATES)[number], string>, t('reports.minutes')) : null),
    [report, t],
  );
  const rows = report ? (perPeriod ? report.rows : report.totals) : [];

  const columns: ColumnsType<AgentReportRow> = [
    ...(perPeriod ? [{ title: t('reports.period'), dataIndex: 'period', key: 'period' }] : []),
    {
      title: t('reports.agent'),
      key: 'agent',
      fixed: 'left',
      render: (_, row) => (
        <Button
          type="link"
          size="small"
          onClick={() => setDayOf({ agentId: row.agent_id, name: row.agent_name ?? '', date: /^\d{4}-\d{2}-\d{2}/.exec(row.period)?.[0] })}
          data-testid={`report-agent-day-${row.agent_name}`}
        >
          {row.agent_name ?? row.agent_id.slice(0, 8)}
        </Button>
      ),
    },
    ...figureColumns(t),
  ];

  return (
    <div data-testid="report-agents">
      <ReportFilters
        today={today}
        kind="agents"
        value={r.filter}
        onChange={r.setFilter}
        options={[...names].map(([value, label]) => ({ value, label }))}
        onSearch={() => void r.run()}
        onExport={(f) => void r.exportFile(f)}
        loading={r.loading}
      />
      {r.error != null && <Alert type="error" showIcon message={errorText(r.error, t)} style={{ marginBottom: 16 }} data-testid="report-error" />}
      {options && report && report.totals.length > 0 && (
        <Card size="small" style={{ marginBottom: 16 }}>
          <div data-testid="report-agents-chart" data-agents={report.totals.length}>
            <Chart options={options} label={t('reports.agentChart')} height={300} />
          </div>
        </Card>
      )}
      <Table<AgentReportRow>
        rowKey={(row) => `${row.agent_id}-${row.period}`}
        size="small"
        bordered
        loading={r.loading}
        dataSource={rows}
        pagination={{ pageSize: 100, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        onRow={(row) => ({ 'data-testid': `report-agent-row-${row.agent_name}`, 'data-period': row.period }) as React.HTMLAttributes<HTMLElement>}
        data-testid="report-agents-table"
        columns={columns}
      />
      <AgentDayDrawer of={dayOf} initialDate={dayOf?.date ? dayjs(dayOf.date) : undefined} onClose={() => setDayOf(null)} />
    </div>
  );
}

function figureColumns(t: TFunc): ColumnsType<AgentReportRow> {
  const n = (key: keyof AgentFigures, title: string) => ({
    title,
    key,
    align: 'right' as const,
    render: (_: unknown, row: AgentReportRow) => <span data-testid={`cell-${key}`}>{row.figures[key] as number}</span>,
  });
  const ms = (key: keyof AgentFigures, title: string) => ({
    title,
    key,
    align: 'right' as const,
    render: (_: unknown, row: AgentReportRow) => <span data-testid={`cell-${key}`}>{formatMs(row.figures[key] as number | null)}</span>,
  });
  return [
    n('offers', t('reports.offers')),
    n('answered', t('board.answered')),
    n('handled', t('reports.handled')),
    n('no_answers', t('reports.noAnswers')),
    n('transferred_out', t('reports.transfers')),
    n('outbound', t('reports.outbound')),
    {
      title: t('board.aht'),
      children: [ms('aht_ms', t('reports.aht')), ms('avg_talk_ms', t('reports.talk')), ms('avg_hold_ms', t('reports.hold')), ms('avg_wrap_ms', t('reports.wrap'))],
    },
    { title: t('reports.occupancy'), key: 'occ', align: 'right', render: (_, row) => formatPercent(row.figures.occupancy) },
    {
      title: t('reports.stateTime'),
      children: [
        ms('signed_in_ms', t('reports.signedIn')),
        ms('idle_ms', t('state.idle')),
        ms('talking_ms', t('state.talking')),
        ms('wrap_up_ms', t('state.wrap_up')),
        ms('busy_ms', t('state.busy')),
        ms('rest_ms', t('state.rest')),
      ],
    },
    {
      title: t('reports.byReason'),
      key: 'reasons',
      render: (_, row) =>
        row.figures.reasons
          .filter((x) => x.state === 'busy' || x.state === 'rest')
          .map((x) => (
            <Tag key={`${x.state}-${x.reason ?? ''}`}>
              {t(`state.${x.state}`)}
              {x.reason ? ` · ${reasonLabel(x.reason, t)}` : ''} {formatMs(x.ms)}
            </Tag>
          )),
    },
  ];
}
