// 号码组 (V10): which hotline numbers the agents of a voice skill queue may present as caller ID on
// outbound calls, one of them the default. Only numbers with outbound on may join.
import { useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, Input, Popconfirm, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { queuesApi, voiceApi } from '../../api/endpoints';
import { errorText } from '../../api/errors';
import type { HotlineNumber, NumberGroup, Queue } from '../../api/types';
import { useT } from '../../i18n';
import { useLoad } from '../../util/useLoad';
import FormModal from '../../components/FormModal';
import { textRule } from '../rules';

interface GroupForm {
  name: string;
  number_ids: string[];
  queue_ids: string[];
  default_number_id?: string | null;
}

export default function NumberGroupsPage() {
  const t = useT();
  const { message } = AntApp.useApp();
  const groups = useLoad<NumberGroup[]>(() => voiceApi.numberGroups(), []);
  const numbers = useLoad<HotlineNumber[]>(() => voiceApi.numbers(), []);
  const queues = useLoad<Queue[]>(() => queuesApi.list(), []);
  const [editing, setEditing] = useState<NumberGroup | 'new' | null>(null);
  const current = editing !== 'new' ? editing : null;

  const outboundNumbers = useMemo(() => numbers.data.filter((n) => n.outbound), [numbers.data]);
  const voiceQueues = useMemo(() => queues.data.filter((q) => q.channel === 'voice'), [queues.data]);
  const numberText = (id: string) => numbers.data.find((n) => n.id === id)?.number ?? '…';
  const queueText = (id: string) => queues.data.find((q) => q.id === id)?.name ?? '…';

  const remove = async (g: NumberGroup) => {
    try {
      await voiceApi.removeNumberGroup(g.id);
      message.success(t('common.deleted'));
      void groups.reload();
    } catch (err) {
      message.error(errorText(err, t));
    }
  };

  const loadError = groups.error ?? numbers.error ?? queues.error;

  return (
    <Card
      title={t('voice.group.title')}
      extra={
        <Space wrap>
          <Button icon={<ReloadOutlined />} onClick={() => void Promise.all([groups.reload(), numbers.reload(), queues.reload()])} aria-label={t('common.refresh')} />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="groups-add">
            {t('voice.group.add')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('voice.group.intro')}</Typography.Paragraph>
      {loadError != null && <Alert type="error" showIcon message={errorText(loadError, t)} style={{ marginBottom: 16 }} />}
      <Table<NumberGroup>
        rowKey="id"
        loading={groups.loading}
        dataSource={groups.data}
        data-testid="groups-table"
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        onRow={(g) => ({ 'data-testid': `group-row-${g.name}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('voice.group.name'), dataIndex: 'name' },
          {
            title: t('voice.group.numbers'),
            dataIndex: 'number_ids',
            render: (ids: string[], g) =>
              ids.map((id) => (
                <Tag key={id} color={id === g.default_number_id ? 'green' : undefined} data-testid="group-number">
                  {numberText(id)}
                </Tag>
              )),
          },
          {
            title: t('voice.group.queues'),
            dataIndex: 'queue_ids',
            render: (ids: string[]) => ids.map((id) => <Tag key={id} data-testid="group-queue">{queueText(id)}</Tag>),
          },
          {
            title: t('voice.group.default'),
            dataIndex: 'default_number_id',
            render: (id: string | null) => (id ? <span data-testid="group-default">{numberText(id)}</span> : <Typography.Text type="secondary">{t('common.none')}</Typography.Text>),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            render: (_, g) => (
              <Space size={0}>
                <Tooltip title={t('common.edit')}>
                  <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(g)} aria-label={t('common.edit')} data-testid={`group-edit-${g.name}`} />
                </Tooltip>
                <Popconfirm title={t('voice.group.confirmDelete', { name: g.name })} onConfirm={() => remove(g)} okText={t('common.ok')} cancelText={t('common.cancel')}>
                  <Tooltip title={t('common.delete')}>
                    <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} data-testid={`group-delete-${g.name}`} />
                  </Tooltip>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <FormModal<GroupForm>
        open={editing !== null}
        formKey={current?.id ?? 'new'}
        title={t(current ? 'voice.group.edit' : 'voice.group.add')}
        okText={current ? undefined : t('common.create')}
        okTestId="group-form-submit"
        formTestId="group-form"
        successText={t(current ? 'common.saved' : 'common.created')}
        width={560}
        initialValues={{
          name: current?.name ?? '',
          number_ids: current?.number_ids ?? [],
          queue_ids: current?.queue_ids ?? [],
          default_number_id: current?.default_number_id ?? null,
        }}
        onSubmit={(v) => {
          const body = { name: v.name.trim(), number_ids: v.number_ids, queue_ids: v.queue_ids, default_number_id: v.default_number_id ?? null };
          return current ? voiceApi.updateNumberGroup(current.id, body) : voiceApi.createNumberGroup(body);
        }}
        onClose={() => setEditing(null)}
        onDone={() => void groups.reload()}
      >
        {!numbers.loading && outboundNumbers.length === 0 && (
          <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('voice.group.noOutboundNumber')} action={<Link to="/admin/voice/numbers">{t('menu.voiceNumbers')}</Link>} />
        )}
        <Form.Item name="name" label={t('voice.group.name')} required rules={[textRule(t, 64, { required: true })]}>
          <Input maxLength={64} data-testid="group-form-name" />
        </Form.Item>
        <Form.Item name="number_ids" label={t('voice.group.numbers')}>
          <Select mode="multiple" data-testid="group-form-numbers" optionFilterProp="label" options={outboundNumbers.map((n) => ({ value: n.id, label: n.number }))} />
        </Form.Item>
        <Form.Item name="queue_ids" label={t('voice.group.queues')} extra={t('voice.group.queuesHelp')}>
          <Select mode="multiple" data-testid="group-form-queues" optionFilterProp="label" options={voiceQueues.map((q) => ({ value: q.id, label: q.name }))} />
        </Form.Item>
        <Form.Item noStyle dependencies={['number_ids']}>
          {(form) => {
            const chosen = (form.getFieldValue('number_ids') as string[] | undefined) ?? [];
            return (
              <Form.Item
                name="default_number_id"
                label={t('voice.group.default')}
                extra={t('voice.group.defaultHelp')}
                rules={[{ validator: (_, v: string | null | undefined) => (!v || chosen.includes(v) ? Promise.resolve() : Promise.reject(new Error(t('voice.group.defaultNotMember')))) }]}
              >
                <Select allowClear data-testid="group-form-default" options={chosen.map((id) => ({ value: id, label: numberText(id) }))} />
              </Form.Item>
            );
          }}
        </Form.Item>
      </FormModal>
    </Card>
  );
}
