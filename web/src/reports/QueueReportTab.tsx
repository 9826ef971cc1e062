// The queue report (P2): per queue and period, offered, answered, abandoned (short apart),
// service level, abandon rate, ASA, AHT split into talk / hold / wrap-up, transfers,
// no-answers; a chart of the volumes with the service-level line; exports.
import { useMemo } from 'react';
import { Alert, Card, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { queuesApi, reportsApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { Queue, QueueFigures, QueueReportRow } from '../api/types';
import { useT, type TFunc } from '../i18n';
import { useLoad } from '../util/useLoad';
import Chart from '../components/Chart';
import { formatMs, formatPercent } from '../supervisor/figures';
import { handleSplit, queueChart } from './model';
import ReportFilters from './ReportFilters';
import { useReport } from './useReport';

const TOTAL_KEY = 'tenant-total';

export default function QueueReportTab({ today }: { today: string }) {
  const t = useT();
  const queues = useLoad<Queue[]>(() => queuesApi.list(), []);
  const r = useReport('queues', reportsApi.queues, today);
  const report = r.report;
  const perPeriod = report != null && report.interval !== 'total';
  const rows: QueueReportRow[] = useMemo(() => {
    if (!report) return [];
    const body = perPeriod ? report.rows : report.totals;
    const total: QueueReportRow = { period: 'total', period_start: '', queue_id: TOTAL_KEY, queue_name: t('board.allQueues'), figures: report.total };
    return [...body, total];
  }, [report, perPeriod, t]);
  const options = useMemo(
    () =>
      report
        ? queueChart(report, { offered: t('board.offered'), answered: t('board.answered'), abandoned: t('board.abandoned'), serviceLevel: t('board.serviceLevel') })
        : null,
    [report, t],
  );

  const columns: ColumnsType<QueueReportRow> = [
    ...(perPeriod ? [{ title: t('reports.period'), dataIndex: 'period', key: 'period', render: (p: string) => (p === 'total' ? '' : p) }] : []),
    { title: t('reports.queue'), key: 'queue', render: (_, row) => <Typography.Text strong={row.queue_id === TOTAL_KEY}>{row.queue_name ?? t('reports.deleted')}</Typography.Text> },
    ...figureColumns(t),
  ];

  return (
    <div data-testid="report-queues">
      <ReportFilters
        today={today}
        kind="queues"
        value={r.filter}
        onChange={r.setFilter}
        options={queues.data.map((q) => ({ value: q.id, label: q.name }))}
        onSearch={() => void r.run()}
        onExport={(f) => void r.exportFile(f)}
        loading={r.loading}
      />
      {r.error != null && <Alert type="error" showIcon message={errorText(r.error, t)} style={{ marginBottom: 16 }} data-testid="report-error" />}
      {options && (
        <Card size="small" style={{ marginBottom: 16 }}>
          <div data-testid="report-queues-chart" data-offered={report?.total.offered ?? 0}>
            <Chart options={options} label={t('reports.queueChart')} height={300} />
          </div>
        </Card>
      )}
      <Table<QueueReportRow>
        rowKey={(row) => `${row.queue_id}-${row.period}`}
        size="small"
        bordered
        loading={r.loading}
        dataSource={rows}
        pagination={{ pageSize: 100, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        rowClassName={(row) => (row.queue_id === TOTAL_KEY ? 'board-total-row' : '')}
        onRow={(row) => ({ 'data-testid': `report-queue-row-${row.queue_id === TOTAL_KEY ? 'total' : row.queue_name}`, 'data-period': row.period }) as React.HTMLAttributes<HTMLElement>}
        data-testid="report-queues-table"
        columns={columns}
      />
    </div>
  );
}

function figureColumns(t: TFunc): ColumnsType<QueueReportRow> {
  const n = (key: keyof QueueFigures, title: string) => ({
    title,
    key,
    align: 'right' as const,
    render: (_: unknown, row: QueueReportRow) => <span data-testid={`cell-${key}`}>{row.figures[key] as number}</span>,
  });
  const split = (part: 'talk' | 'hold' | 'wrap', title: string) => ({
    title,
    key: part,
    align: 'right' as const,
    render: (_: unknown, row: QueueReportRow) => formatMs(handleSplit(row.figures)?.[part]),
  });
  return [
    n('offered', t('board.offered')),
    n('answered', t('board.answered')),
    n('abandoned', t('board.abandoned')),
    n('abandoned_short', t('reports.shortAbandons')),
    { title: t('board.serviceLevel'), key: 'sl', align: 'right', render: (_, row) => <span data-testid="cell-sl">{formatPercent(row.figures.service_level)}</span> },
    { title: t('board.abandonRate'), key: 'ar', align: 'right', render: (_, row) => formatPercent(row.figures.abandon_rate) },
    { title: t('board.asa'), key: 'asa', align: 'right', render: (_, row) => formatMs(row.figures.asa_ms) },
    {
      title: t('board.aht'),
      children: [
        { title: t('reports.aht'), key: 'aht', align: 'right', render: (_, row) => formatMs(row.figures.aht_ms) },
        split('talk', t('reports.talk')),
        split('hold', t('reports.hold')),
        split('wrap', t('reports.wrap')),
      ],
    },
    n('transferred_out', t('reports.transfers')),
    n('no_answers', t('reports.noAnswers')),
    n('timed_out', t('reports.timedOut')),
    n('overflowed_out', t('reports.overflowed')),
  ];
}
