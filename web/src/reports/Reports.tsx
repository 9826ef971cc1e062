// The historical reports page (P2): queue and agent reports over any date range, per day or
// per 15/30/60 minutes, with charts and exports (`reports.view`).
import { Card, Tabs } from 'antd';
import { useT } from '../i18n';
import QueueReportTab from './QueueReportTab';
import AgentReportTab from './AgentReportTab';

export default function ReportsPage() {
  const t = useT();
  return (
    <Card title={t('reports.title')} data-testid="reports">
      <Tabs
        destroyOnHidden
        items={[
          { key: 'queues', label: <span data-testid="reports-tab-queues">{t('reports.queues')}</span>, children: <QueueReportTab /> },
          { key: 'agents', label: <span data-testid="reports-tab-agents">{t('reports.agents')}</span>, children: <AgentReportTab /> },
        ]}
      />
    </Card>
  );
}
