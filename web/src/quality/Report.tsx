// The quality report (质检报表): average score, reviews and failures per agent, queue or item,
// per week or month, as a chart over time and a table of the whole range.
import { useState } from 'react';
import { App as AntApp, Button, Card, Input, Select, Space, Spin, Table } from 'antd';
import { qualityApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { QualityReport, QualityReportRow } from '../api/types';
import Chart from '../components/Chart';
import { useT } from '../i18n';
import { addDays } from '../util/days';
import { useTenantToday } from '../util/useTenantToday';
import { query, reportChart } from './model';


export default function Report() {
  const today = useTenantToday();
  return today ? <ReportOf today={today} /> : <Spin />;
}

/** The report form, its range ending on the tenant's `today` at first. */
function ReportOf({ today }: { today: string }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [f, setF] = useState({ from: addDays(today, -84), to: today, period: 'week', by: 'agent' });
  const [report, setReport] = useState<QualityReport | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      setReport(await qualityApi.report(query(f)));
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap>
          <Input type="date" value={f.from} data-testid="report-from" onChange={(e) => setF({ ...f, from: e.target.value })} />
          <Input type="date" value={f.to} data-testid="report-to" onChange={(e) => setF({ ...f, to: e.target.value })} />
          <Select value={f.period} style={{ width: 100 }} onChange={(period) => setF({ ...f, period })}
            options={[{ value: 'week', label: t('quality.week') }, { value: 'month', label: t('quality.month') }]} />
          <Select value={f.by} style={{ width: 120 }} data-testid="report-by" onChange={(by) => setF({ ...f, by })}
            options={[{ value: 'agent', label: t('quality.byAgent') }, { value: 'queue', label: t('quality.byQueue') }, { value: 'item', label: t('quality.byItem') }]} />
          <Button type="primary" loading={busy} data-testid="report-run" onClick={() => void run()}>{t('quality.search')}</Button>
        </Space>
      </Card>
      {report && (
        <Card>
          <Chart label={t('quality.reportChart')} options={reportChart(report, t('quality.averageScore'))} />
          <Table<QualityReportRow>
            size="small"
            rowKey="key"
            pagination={false}
            dataSource={report.rows}
            data-testid="report-table"
            columns={[
              { title: t('quality.name'), dataIndex: 'label' },
              { title: t('quality.reviews'), render: (_, r) => r.total.count },
              { title: t('quality.averageScore'), render: (_, r) => r.total.average },
              { title: t('quality.failures'), render: (_, r) => r.total.failed },
            ]}
          />
        </Card>
      )}
    </Space>
  );
}
