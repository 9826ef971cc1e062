// The historical reports page (P2): queue and agent reports over any date range, per day or
// per 15/30/60 minutes, with charts and exports (`reports.view`). Ranges default to the last
// week up to the tenant's today, the days the server reports in.
import { Card, Spin, Tabs } from 'antd';
import { useT } from '../i18n';
import { useTenantToday } from '../util/useTenantToday';
import QueueReportTab from './QueueReportTab';
import AgentReportTab from './AgentReportTab';

export default function ReportsPage() {
  const t = useT();
  const today = useTenantToday();
  return (
    <Card title={t('reports.title')} data-testid="reports">
      {today == null ? <Spin /> : <Tabs
        destroyOnHidden
        items={[
          { key: 'queues', label: <span data-testid="reports-tab-queues">{t('reports.queues')}</span>, children: <QueueReportTab today={today} /> },
          { key: 'agents', label: <span data-testid="reports-tab-agents">{t('reports.agents')}</span>, children: <AgentReportTab today={today} /> },
        ]}
      />}
    </Card>
  );
}
