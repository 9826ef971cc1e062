// 语音导航: the tenant's IVR flows, the numbers that start in each and the flows that go into
// it; each opens in the editor.
import { App as AntApp, Alert, Button, Card, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { voiceApi } from '../../api/endpoints';
import { errorText } from '../../api/errors';
import type { IvrFlow } from '../../api/types';
import { useT } from '../../i18n';
import { useLoad } from '../../util/useLoad';

export default function FlowsPage() {
  const t = useT();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const flows = useLoad<IvrFlow[]>(() => voiceApi.flows(), []);

  const remove = async (f: IvrFlow) => {
    try {
      await voiceApi.removeFlow(f.id);
      message.success(t('common.deleted'));
      void flows.reload();
    } catch (err) {
      message.error(errorText(err, t));
    }
  };

  return (
    <Card
      title={t('voice.flow.title')}
      extra={
        <Space wrap>
          <Button icon={<ReloadOutlined />} onClick={() => void flows.reload()} aria-label={t('common.refresh')} />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/admin/voice/flows/new')} data-testid="flows-add">
            {t('voice.flow.add')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('voice.flow.intro')}</Typography.Paragraph>
      {flows.error != null && <Alert type="error" showIcon message={errorText(flows.error, t)} style={{ marginBottom: 16 }} />}
      <Table<IvrFlow>
        rowKey="id"
        loading={flows.loading}
        dataSource={flows.data}
        data-testid="flows-table"
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        onRow={(f) => ({ 'data-testid': `flow-row-${f.name}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('voice.flow.name'), dataIndex: 'name', render: (n: string, f) => <Link to={`/admin/voice/flows/${f.id}`}>{n}</Link> },
          { title: t('voice.flow.numbers'), dataIndex: 'numbers', render: (ns: string[]) => ns.map((n) => <Tag key={n}>{n}</Tag>) },
          { title: t('voice.flow.usedBy'), dataIndex: 'used_by', render: (u: string[]) => (u.length ? t('voice.flow.usedByN', { n: u.length }) : '—') },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, f) => (
              <Space size={0}>
                <Tooltip title={t('common.edit')}>
                  <Button type="link" size="small" icon={<EditOutlined />} onClick={() => navigate(`/admin/voice/flows/${f.id}`)} aria-label={t('common.edit')} data-testid={`flow-edit-${f.name}`} />
                </Tooltip>
                <Popconfirm title={t('voice.flow.confirmDelete', { name: f.name })} onConfirm={() => remove(f)} okText={t('common.ok')} cancelText={t('common.cancel')}>
                  <Tooltip title={t('common.delete')}>
                    <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} data-testid={`flow-delete-${f.name}`} />
                  </Tooltip>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
