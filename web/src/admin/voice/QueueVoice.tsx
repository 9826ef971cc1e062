// 排队语音: what a voice queue's waiting callers hear besides the music — their place in line and
// the estimated wait every N seconds, in Chinese and/or English — and voicemail when the wait
// runs out (the queue's maximum wait, set on the queue), each message becoming a callback task in a
// task queue or a ticket of a ticket type (回拨任务 / 工单).
import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Form, InputNumber, Radio, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { EditOutlined, ReloadOutlined } from '@ant-design/icons';
import { queuesApi, voiceApi } from '../../api/endpoints';
import { errorText } from '../../api/errors';
import type { Queue, QueueVoice } from '../../api/types';
import { useT } from '../../i18n';
import { useLoad } from '../../util/useLoad';
import FormModal from '../../components/FormModal';
import { ticketsApi } from '../../tickets/api';
import type { TicketType } from '../../tickets/types';
import { queueVoiceBody, voicemailKind, type QueueVoiceForm } from './queueVoice';

export default function QueueVoicePage() {
  const t = useT();
  const settings = useLoad<QueueVoice[]>(() => voiceApi.queueSettings(), []);
  const queues = useLoad<Queue[]>(() => queuesApi.list(), []);
  const ticketTypes = useLoad<TicketType[]>(() => ticketsApi.types(), []);
  const [editing, setEditing] = useState<QueueVoice | null>(null);
  const taskQueues = (queues.data ?? []).filter((q) => q.channel === 'task');
  const queueName = (id: string | null) => (id ? taskQueues.find((q) => q.id === id)?.name ?? id : null);
  const typeName = (id: string) => ticketTypes.data?.find((t) => t.id === id)?.name ?? id;
  // Types in use, and the one chosen even if it has been retired since.
  const typeOptions = (ticketTypes.data ?? [])
    .filter((t) => t.active || t.id === editing?.voicemail_ticket_type_id)
    .map((t) => ({ value: t.id, label: t.name }));

  return (
    <Card
      title={t('voice.queue.title')}
      extra={<Button icon={<ReloadOutlined />} onClick={() => void settings.reload()} aria-label={t('common.refresh')} />}
    >
      <Typography.Paragraph type="secondary">{t('voice.queue.intro')}</Typography.Paragraph>
      {settings.error != null && <Alert type="error" showIcon message={errorText(settings.error, t)} style={{ marginBottom: 16 }} />}
      <Table<QueueVoice>
        rowKey="queue_id"
        loading={settings.loading}
        dataSource={settings.data}
        data-testid="queue-voice-table"
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={(q) => ({ 'data-testid': `queue-voice-row-${q.queue_name}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('voice.queue.queue'), dataIndex: 'queue_name' },
          {
            title: t('voice.queue.announce'),
            key: 'announce',
            render: (_, q) =>
              q.announce_every_s === null ? <Tag>{t('voice.queue.off')}</Tag>
              : <span>{t('voice.queue.every', { n: q.announce_every_s })} {q.languages.map((l) => <Tag key={l}>{t(`voice.queue.lang.${l}`)}</Tag>)}</span>,
          },
          {
            title: t('voice.queue.voicemail'),
            key: 'voicemail',
            render: (_, q) =>
              q.voicemail_ticket_type_id !== null ? t('voice.queue.voicemailTicket', { type: typeName(q.voicemail_ticket_type_id), n: q.voicemail_max_s })
              : q.voicemail_queue_id === null ? <Tag>{t('voice.queue.off')}</Tag>
              : t('voice.queue.voicemailTo', { queue: queueName(q.voicemail_queue_id) ?? '', n: q.voicemail_max_s }),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, q) => (
              <Tooltip title={t('common.edit')}>
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(q)} aria-label={t('common.edit')} data-testid={`queue-voice-edit-${q.queue_name}`} />
              </Tooltip>
            ),
          },
        ]}
      />
      <FormModal<QueueVoiceForm>
        open={editing !== null}
        formKey={editing?.queue_id ?? 'none'}
        title={t('voice.queue.edit', { name: editing?.queue_name ?? '' })}
        okTestId="queue-voice-form-submit"
        formTestId="queue-voice-form"
        successText={t('common.saved')}
        initialValues={{
          announce: editing?.announce_every_s != null,
          announce_every_s: editing?.announce_every_s ?? 30,
          languages: editing?.languages ?? ['zh', 'en'],
          voicemail_kind: voicemailKind(editing),
          voicemail_queue_id: editing?.voicemail_queue_id ?? null,
          voicemail_ticket_type_id: editing?.voicemail_ticket_type_id ?? null,
          voicemail_max_s: editing?.voicemail_max_s ?? 120,
        }}
        onSubmit={(v) => (editing ? voiceApi.setQueueSettings(editing.queue_id, queueVoiceBody(v)) : Promise.resolve())}
        onClose={() => setEditing(null)}
        onDone={() => void settings.reload()}
      >
        <Form.Item name="announce" valuePropName="checked">
          <Checkbox data-testid="queue-voice-form-announce">{t('voice.queue.announceOn')}</Checkbox>
        </Form.Item>
        <Space wrap>
          <Form.Item name="announce_every_s" label={t('voice.queue.interval')} rules={[{ type: 'number', min: 10, max: 600, message: t('voice.queue.intervalRange') }]}>
            <InputNumber min={10} max={600} addonAfter={t('voice.queue.seconds')} data-testid="queue-voice-form-interval" />
          </Form.Item>
          <Form.Item name="languages" label={t('voice.queue.languages')} rules={[{ required: true, type: 'array', min: 1, message: t('voice.queue.languagesRequired') }]}>
            <Checkbox.Group options={[{ value: 'zh', label: t('voice.queue.lang.zh') }, { value: 'en', label: t('voice.queue.lang.en') }]} />
          </Form.Item>
        </Space>
        <Form.Item name="voicemail_kind" label={t('voice.queue.voicemail')}>
          <Radio.Group
            optionType="button"
            options={[{ value: 'task', label: t('voice.queue.kind.task') }, { value: 'ticket', label: t('voice.queue.kind.ticket') }]}
            data-testid="queue-voice-form-kind"
          />
        </Form.Item>
        <Form.Item noStyle dependencies={['voicemail_kind']}>
          {({ getFieldValue }) =>
            getFieldValue('voicemail_kind') === 'ticket' ? (
              <Form.Item name="voicemail_ticket_type_id" label={t('voice.queue.ticketType')} extra={t('voice.queue.voicemailTicketHelp')}>
                <Select allowClear placeholder={t('voice.queue.off')} options={typeOptions} data-testid="queue-voice-form-ticket-type" />
              </Form.Item>
            ) : (
              <Form.Item name="voicemail_queue_id" label={t('voice.queue.taskQueue')} extra={t('voice.queue.voicemailHelp')}>
                <Select
                  allowClear
                  placeholder={t('voice.queue.off')}
                  options={taskQueues.map((q) => ({ value: q.id, label: q.name }))}
                  data-testid="queue-voice-form-voicemail"
                />
              </Form.Item>
            )
          }
        </Form.Item>
        <Form.Item name="voicemail_max_s" label={t('voice.queue.maxMessage')} rules={[{ type: 'number', min: 10, max: 600, message: t('voice.queue.intervalRange') }]}>
          <InputNumber min={10} max={600} addonAfter={t('voice.queue.seconds')} />
        </Form.Item>
      </FormModal>
    </Card>
  );
}
