// Outgoing webhooks (集成 → Webhook): the list, create and edit, the secret shown once with
// copy, rotating it, a test event, and each webhook's delivery log with redelivery.
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Checkbox, Drawer, Form, Input, Modal, Popconfirm, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, HistoryOutlined, KeyOutlined, PlusOutlined, ReloadOutlined, SendOutlined } from '@ant-design/icons';
import { webhooksApi } from '../../api/endpoints';
import { errorText } from '../../api/errors';
import type { Webhook, WebhookDelivery, WebhookInput } from '../../api/types';
import { useT } from '../../i18n';
import { useLoad } from '../../util/useLoad';
import FormModal from '../../components/FormModal';
import { isHttpUrl, textRule } from '../rules';
import { groupEventTypes, localTime, stateColor, stateKey } from './webhooks';

interface WebhookForm {
  url: string;
  description?: string;
  events: string[];
  enabled: boolean;
}

export default function WebhooksPage() {
  const t = useT();
  const { message } = AntApp.useApp();
  const hooks = useLoad<Webhook[]>(() => webhooksApi.list(), []);
  const types = useLoad<string[]>(() => webhooksApi.eventTypes(), []);
  const [editing, setEditing] = useState<Webhook | 'new' | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [logOf, setLogOf] = useState<Webhook | null>(null);

  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      message.success(done);
      void hooks.reload();
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  const submit = async (v: WebhookForm) => {
    const input: WebhookInput = { url: v.url.trim(), description: (v.description ?? '').trim(), events: v.events, enabled: v.enabled };
    if (editing === 'new') {
      const made = await webhooksApi.create(input);
      setSecret(made.secret);
    } else if (editing) {
      await webhooksApi.update(editing.id, input);
    }
  };

  const rotate = async (w: Webhook) => {
    try {
      const rotated = await webhooksApi.rotateSecret(w.id);
      setSecret(rotated.secret);
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  return (
    <Card
      title={t('webhooks.title')}
      extra={
        <Space wrap>
          <Button icon={<ReloadOutlined />} onClick={() => void hooks.reload()} aria-label={t('common.refresh')} />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="webhooks-add">
            {t('webhooks.add')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('webhooks.intro')}</Typography.Paragraph>
      {hooks.error != null && <Alert type="error" showIcon message={errorText(hooks.error, t)} style={{ marginBottom: 16 }} />}
      <Table<Webhook>
        rowKey="id"
        loading={hooks.loading}
        dataSource={hooks.data}
        data-testid="webhooks-table"
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('webhooks.empty') }}
        onRow={(w) => ({ 'data-testid': `webhook-row-${w.url}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('webhooks.url'), dataIndex: 'url', render: (url: string) => <Typography.Text code>{url}</Typography.Text> },
          { title: t('webhooks.description'), dataIndex: 'description', render: (s: string) => s || '—' },
          {
            title: t('webhooks.events'),
            dataIndex: 'events',
            render: (events: string[]) => (
              <Space size={[0, 4]} wrap style={{ maxWidth: 360 }}>
                {events.map((e) => (
                  <Tag key={e}>{e}</Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t('webhooks.enabled'),
            dataIndex: 'enabled',
            render: (on: boolean) => <Tag color={on ? 'green' : 'default'}>{on ? t('webhooks.on') : t('webhooks.off')}</Tag>,
          },
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            render: (_, w) => (
              <Space size={0}>
                <Tooltip title={t('webhooks.log')}>
                  <Button type="link" size="small" icon={<HistoryOutlined />} onClick={() => setLogOf(w)} data-testid={`webhook-log-${w.url}`} />
                </Tooltip>
                <Tooltip title={t('webhooks.ping')}>
                  <Button
                    type="link"
                    size="small"
                    icon={<SendOutlined />}
                    onClick={() => void act(() => webhooksApi.ping(w.id), t('webhooks.pinged'))}
                    data-testid={`webhook-ping-${w.url}`}
                  />
                </Tooltip>
                <Tooltip title={t('common.edit')}>
                  <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(w)} data-testid={`webhook-edit-${w.url}`} />
                </Tooltip>
                <Popconfirm title={t('webhooks.confirmRotate')} onConfirm={() => rotate(w)} okText={t('common.ok')} cancelText={t('common.cancel')}>
                  <Tooltip title={t('webhooks.rotate')}>
                    <Button type="link" size="small" icon={<KeyOutlined />} data-testid={`webhook-rotate-${w.url}`} />
                  </Tooltip>
                </Popconfirm>
                <Popconfirm
                  title={t('webhooks.confirmDelete', { url: w.url })}
                  onConfirm={() => act(() => webhooksApi.remove(w.id), t('common.deleted'))}
                  okText={t('common.ok')}
                  cancelText={t('common.cancel')}
                >
                  <Tooltip title={t('common.delete')}>
                    <Button type="link" size="small" danger icon={<DeleteOutlined />} data-testid={`webhook-delete-${w.url}`} />
                  </Tooltip>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <FormModal<WebhookForm>
        open={editing !== null}
        formKey={editing === 'new' ? 'new' : editing?.id}
        title={editing === 'new' ? t('webhooks.add') : t('webhooks.edit')}
        okText={editing === 'new' ? t('common.create') : t('common.save')}
        okTestId="webhook-form-submit"
        formTestId="webhook-form"
        successText={editing === 'new' ? t('common.created') : t('common.saved')}
        width={640}
        initialValues={
          editing && editing !== 'new'
            ? { url: editing.url, description: editing.description, events: editing.events, enabled: editing.enabled }
            : { events: [], enabled: true }
        }
        onSubmit={submit}
        onClose={() => setEditing(null)}
        onDone={() => void hooks.reload()}
      >
        <Form.Item
          name="url"
          label={t('webhooks.url')}
          required
          extra={t('webhooks.urlHelp')}
          rules={[
            textRule(t, 2000, { required: true }),
            { validator: (_, v) => (!v || !String(v).trim() || isHttpUrl(String(v)) ? Promise.resolve() : Promise.reject(new Error(t('webhooks.urlInvalid')))) },
          ]}
        >
          <Input placeholder="https://" inputMode="url" data-testid="webhook-form-url" />
        </Form.Item>
        <Form.Item name="description" label={t('webhooks.description')} rules={[textRule(t, 200, { flatten: true })]}>
          <Input data-testid="webhook-form-description" />
        </Form.Item>
        <Form.Item name="events" label={t('webhooks.events')} rules={[{ required: true, type: 'array', min: 1, message: t('webhooks.eventsRequired') }]}>
          <Checkbox.Group style={{ width: '100%' }}>
            {groupEventTypes(types.data).map((g) => (
              <div key={g.key} style={{ marginBottom: 8 }}>
                <Typography.Text strong style={{ display: 'block' }}>
                  {t(g.labelKey)}
                </Typography.Text>
                {g.types.map((type) => (
                  <Checkbox key={type} value={type} data-testid={`webhook-event-${type}`}>
                    {type}
                  </Checkbox>
                ))}
              </div>
            ))}
          </Checkbox.Group>
        </Form.Item>
        <Form.Item name="enabled" label={t('webhooks.enabled')} valuePropName="checked">
          <Switch data-testid="webhook-form-enabled" />
        </Form.Item>
      </FormModal>
      <Modal
        open={secret !== null}
        title={t('webhooks.secretTitle')}
        onOk={() => setSecret(null)}
        onCancel={() => setSecret(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
        okText={t('common.close')}
      >
        <Typography.Paragraph>{t('webhooks.secretIntro')}</Typography.Paragraph>
        <Typography.Paragraph copyable={{ text: secret ?? '' }} code data-testid="webhook-secret">
          {secret}
        </Typography.Paragraph>
      </Modal>
      {logOf && <DeliveryLog webhook={logOf} onClose={() => setLogOf(null)} />}
    </Card>
  );
}

function DeliveryLog({ webhook, onClose }: { webhook: Webhook; onClose: () => void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const log = useLoad<WebhookDelivery[]>(() => webhooksApi.deliveries(webhook.id), []);

  const redeliver = async (d: WebhookDelivery) => {
    try {
      await webhooksApi.redeliver(webhook.id, d.id);
      message.success(t('webhooks.redelivered'));
      void log.reload();
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  return (
    <Drawer
      open
      width={960}
      title={t('webhooks.logTitle', { url: webhook.url })}
      onClose={onClose}
      extra={<Button icon={<ReloadOutlined />} onClick={() => void log.reload()} aria-label={t('common.refresh')} data-testid="webhook-log-refresh" />}
    >
      {log.error != null && <Alert type="error" showIcon message={errorText(log.error, t)} style={{ marginBottom: 16 }} />}
      <Table<WebhookDelivery>
        rowKey="id"
        size="small"
        loading={log.loading}
        dataSource={log.data}
        data-testid="webhook-log"
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('webhooks.logEmpty') }}
        onRow={(d) => ({ 'data-testid': `delivery-row-${d.event_type}` }) as React.HTMLAttributes<HTMLElement>}
        expandable={{
          expandedRowRender: (d) => (
            <Space direction="vertical" style={{ width: '100%' }}>
              {d.last_error && (
                <Typography.Text type="danger">
                  {t('webhooks.error')}: {d.last_error}
                </Typography.Text>
              )}
              {d.response != null && (
                <div>
                  <Typography.Text strong>{t('webhooks.response')}</Typography.Text>
                  <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{d.response}</pre>
                </div>
              )}
              <div>
                <Typography.Text strong>{t('webhooks.body')}</Typography.Text>
                <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{d.body}</pre>
              </div>
            </Space>
          ),
        }}
        columns={[
          { title: t('webhooks.createdAt'), dataIndex: 'created_at', render: (at: string) => localTime(at) },
          { title: t('webhooks.eventType'), dataIndex: 'event_type' },
          {
            title: t('webhooks.state'),
            dataIndex: 'state',
            render: (s: string) => (
              <Tag color={stateColor(s)} data-testid={`delivery-state-${s}`}>
                {t(stateKey(s))}
              </Tag>
            ),
          },
          { title: t('webhooks.attempts'), dataIndex: 'attempts' },
          { title: t('webhooks.lastStatus'), dataIndex: 'last_status', render: (s: number | null) => s ?? '—' },
          { title: t('webhooks.duration'), dataIndex: 'duration_ms', render: (ms: number | null) => (ms == null ? '—' : `${ms} ms`) },
          { title: t('webhooks.nextAttempt'), dataIndex: 'next_attempt_at', render: (at: string | null) => localTime(at) || '—' },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, d) => (
              <Button size="small" onClick={() => void redeliver(d)} data-testid={`delivery-redeliver-${d.event_type}`}>
                {t('webhooks.redeliver')}
              </Button>
            ),
          },
        ]}
      />
    </Drawer>
  );
}
