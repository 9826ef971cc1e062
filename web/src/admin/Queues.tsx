import { useMemo, useState } from 'react';
import {
  Alert, App as AntApp, Button, Card, Col, Empty, Form, Input, InputNumber, Popconfirm, Row, Select, Space, Table, Tag,
  Tooltip, Typography,
} from 'antd';
import { DashboardOutlined, DeleteOutlined, EditOutlined, MinusCircleOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { queuesApi, tagsApi, usersApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { Channel, Queue, QueueAgent, QueueInput, Strategy, Tag as CategoryTag, User } from '../api/types';
import { useT } from '../i18n';
import { rangeRule } from './ranges';
import { useLoad } from '../util/useLoad';
import FormModal from '../components/FormModal';
import QueueTargetsDialog, { type TargetsOf } from './QueueTargetsDialog';

const CHANNELS: Channel[] = ['voice', 'video', 'chat', 'task'];
const STRATEGIES: Strategy[] = ['longest_idle', 'round_robin', 'least_occupied', 'skill_level'];
const CHANNEL_COLORS: Record<Channel, string> = { voice: 'blue', video: 'purple', chat: 'green', task: 'orange' };

export default function QueuesPage() {
  const t = useT();
  const { message } = AntApp.useApp();
  const queues = useLoad<Queue[]>(() => queuesApi.list(), []);
  const tags = useLoad<CategoryTag[]>(() => tagsApi.list(), []);
  // GET /users needs users.manage; without it the agents editor shows user ids.
  const users = useLoad<User[]>(() => usersApi.list().catch(() => []), []);
  const [editing, setEditing] = useState<Queue | 'new' | null>(null);
  const [agentsOf, setAgentsOf] = useState<Queue | null>(null);
  const [targetsOf, setTargetsOf] = useState<TargetsOf | null>(null);

  const openTargets = async (q: Queue) => {
    try {
      setTargetsOf({ queue: q, targets: await queuesApi.targets(q.id) });
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  const queueName = (id: string | null) => (id ? (queues.data.find((q) => q.id === id)?.name ?? id) : '');

  const remove = async (q: Queue) => {
    try {
      await queuesApi.remove(q.id);
      message.success(t('common.deleted'));
      void queues.reload();
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xxl={18}>
        <Card
          title={t('queues.title')}
          extra={
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="queues-add">
              {t('queues.add')}
            </Button>
          }
        >
          {queues.error != null && <Alert type="error" showIcon message={errorText(queues.error, t)} style={{ marginBottom: 16 }} />}
          <Table<Queue>
            rowKey="id"
            loading={queues.loading}
            dataSource={queues.data}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
            data-testid="queues-table"
            onRow={(q) => ({ 'data-testid': `queue-row-${q.name}` }) as React.HTMLAttributes<HTMLElement>}
            columns={[
              { title: t('queues.name'), dataIndex: 'name' },
              { title: t('queues.channel'), dataIndex: 'channel', render: (c: Channel) => <Tag color={CHANNEL_COLORS[c]}>{t(`channel.${c}`)}</Tag> },
              { title: t('queues.strategy'), dataIndex: 'strategy', render: (s: Strategy) => t(`strategy.${s}`) },
              { title: t('queues.priority'), dataIndex: 'priority', align: 'right' },
              { title: t('queues.maxQueueLen'), dataIndex: 'max_queue_len', align: 'right', render: (v: number | null) => v ?? t('common.unlimited') },
              { title: t('queues.maxWait'), dataIndex: 'max_wait_s', align: 'right', render: (v: number | null) => v ?? t('common.unlimited') },
              { title: t('queues.overflow'), dataIndex: 'overflow_queue_id', render: (id: string | null) => queueName(id) || '—' },
              { title: t('queues.tags'), dataIndex: 'tags', render: (ts: string[]) => ts.map((x) => <Tag key={x}>{x}</Tag>) },
              {
                title: t('queues.agents'),
                dataIndex: 'agents',
                align: 'right',
                render: (a: QueueAgent[], q) => (
                  <Button type="link" size="small" icon={<TeamOutlined />} onClick={() => setAgentsOf(q)} data-testid={`queue-agents-${q.name}`}>
                    {t('queues.agentsCount', { n: a.length })}
                  </Button>
                ),
              },
              {
                title: t('common.actions'),
                key: 'actions',
                fixed: 'right',
                render: (_, q) => (
                  <Space size={0}>
                    <Tooltip title={t('common.edit')}>
                      <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(q)} data-testid={`queue-edit-${q.name}`} />
                    </Tooltip>
                    <Tooltip title={t('targets.open')}>
                      <Button
                        type="link"
                        size="small"
                        icon={<DashboardOutlined />}
                        onClick={() => void openTargets(q)}
                        data-testid={`queue-targets-${q.name}`}
                        aria-label={t('targets.open')}
                      />
                    </Tooltip>
                    <Popconfirm title={t('queues.confirmDelete', { name: q.name })} onConfirm={() => remove(q)} okText={t('common.ok')} cancelText={t('common.cancel')}>
                      <Tooltip title={t('common.delete')}>
                        <Button type="link" size="small" danger icon={<DeleteOutlined />} data-testid={`queue-delete-${q.name}`} />
                      </Tooltip>
                    </Popconfirm>
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} xxl={6}>
        <TagsPanel tags={tags.data} loading={tags.loading} reload={() => void tags.reload()} />
      </Col>
      <QueueModal
        queue={editing}
        queues={queues.data}
        tags={tags.data}
        onClose={() => setEditing(null)}
        onDone={() => void queues.reload()}
      />
      <QueueTargetsDialog of={targetsOf} onClose={() => setTargetsOf(null)} />
      <AgentsModal queue={agentsOf} users={users.data} onClose={() => setAgentsOf(null)} onDone={() => void queues.reload()} />
    </Row>
  );
}

interface QueueForm {
  name: string;
  channel: Channel;
  strategy: Strategy;
  priority: number;
  max_queue_len: number | null;
  max_wait_s: number | null;
  overflow_queue_id: string | null;
  tags: string[];
}

function QueueModal({ queue, queues, tags, onClose, onDone }: { queue: Queue | 'new' | null; queues: Queue[]; tags: CategoryTag[]; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const existing = queue && queue !== 'new' ? queue : null;

  const tagOptions = useMemo(() => {
    const names = new Set(tags.map((x) => x.name));
    existing?.tags.forEach((x) => names.add(x));
    return [...names].map((n) => ({ value: n, label: n }));
  }, [tags, existing]);

  const submit = async (v: QueueForm) => {
    const body: QueueInput = {
      name: v.name.trim(),
      channel: v.channel,
      strategy: v.strategy,
      priority: v.priority,
      max_queue_len: v.max_queue_len ?? null,
      max_wait_s: v.max_wait_s ?? null,
      overflow_queue_id: v.overflow_queue_id ?? null,
      tags: v.tags ?? [],
    };
    if (existing) await queuesApi.update(existing.id, body);
    else await queuesApi.create(body);
  };

  return (
    <FormModal<QueueForm>
      open={queue !== null}
      formKey={existing?.id ?? 'new'}
      title={existing ? t('queues.edit') : t('queues.add')}
      okText={existing ? t('common.save') : t('common.create')}
      okTestId="queue-form-submit"
      successText={existing ? t('common.saved') : t('common.created')}
      width={600}
      initialValues={
        existing
          ? { ...existing }
          : { name: '', channel: 'voice', strategy: 'longest_idle', priority: 50, max_queue_len: null, max_wait_s: null, overflow_queue_id: null, tags: [] }
      }
      onSubmit={submit}
      onClose={onClose}
      onDone={onDone}
    >
      <Form.Item name="name" label={t('queues.name')} rules={[{ required: true, whitespace: true, message: t('queues.nameRequired') }]}>
        <Input data-testid="queue-form-name" />
      </Form.Item>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="channel" label={t('queues.channel')} rules={[{ required: true }]}>
            <Select data-testid="queue-form-channel" options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="strategy" label={t('queues.strategy')} rules={[{ required: true }]}>
            <Select data-testid="queue-form-strategy" options={STRATEGIES.map((s) => ({ value: s, label: t(`strategy.${s}`) }))} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="priority" label={t('queues.priority')} extra={t('queues.priorityHelp')} rules={[rangeRule(t, 'priority')]}>
            <InputNumber precision={0} style={{ width: '100%' }} data-testid="queue-form-priority" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="max_queue_len" label={t('queues.maxQueueLen')} extra={t('queues.limitHelp')}>
            <InputNumber min={0} precision={0} style={{ width: '100%' }} data-testid="queue-form-max-len" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="max_wait_s" label={t('queues.maxWait')} extra={t('queues.limitHelp')}>
            <InputNumber min={0} precision={0} style={{ width: '100%' }} data-testid="queue-form-max-wait" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="overflow_queue_id" label={t('queues.overflow')} extra={t('queues.overflowHelp')}>
        <Select
          allowClear
          placeholder={t('common.none')}
          data-testid="queue-form-overflow"
          options={queues.filter((q) => q.id !== existing?.id).map((q) => ({ value: q.id, label: `${q.name} (${t(`channel.${q.channel}`)})` }))}
        />
      </Form.Item>
      <Form.Item name="tags" label={t('queues.tags')}>
        <Select mode="multiple" allowClear options={tagOptions} data-testid="queue-form-tags" />
      </Form.Item>
    </FormModal>
  );
}

function AgentsModal({ queue, users, onClose, onDone }: { queue: Queue | null; users: User[]; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const { message } = AntApp.useApp();

  const userOptions = useMemo(() => {
    const opts = users
      .filter((u) => u.active)
      .map((u) => ({ value: u.id, label: u.display_name && u.display_name !== u.login ? `${u.display_name} (${u.login})` : u.login }));
    queue?.agents.forEach((a) => {
      if (!opts.some((o) => o.value === a.user_id)) opts.push({ value: a.user_id, label: a.user_id });
    });
    return opts;
  }, [users, queue]);

  const submit = async (v: { agents?: QueueAgent[] }) => {
    if (!queue) return false;
    const agents = (v.agents ?? []).filter((a) => a && a.user_id);
    if (new Set(agents.map((a) => a.user_id)).size !== agents.length) {
      message.error(t('queues.duplicateAgent'));
      return false;
    }
    await queuesApi.setAgents(queue.id, agents.map((a) => ({ user_id: a.user_id, skill_level: a.skill_level ?? 5 })));
  };

  return (
    <FormModal<{ agents?: QueueAgent[] }>
      open={!!queue}
      formKey={queue?.id}
      title={queue ? t('queues.agentsTitle', { name: queue.name }) : ''}
      okTestId="queue-agents-save"
      successText={t('common.saved')}
      width={560}
      layout="horizontal"
      initialValues={{ agents: queue?.agents ?? [] }}
      onSubmit={submit}
      onClose={onClose}
      onDone={onDone}
    >
      <Form.List name="agents">
        {(fields, { add, remove }) => (
          <>
            {fields.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.none')} />}
            {fields.length > 0 && (
              <Row gutter={8} style={{ marginBottom: 4 }}>
                <Col flex="auto">
                  <Typography.Text type="secondary">{t('queues.agent')}</Typography.Text>
                </Col>
                <Col flex="150px">
                  <Typography.Text type="secondary">{t('queues.skillLevel')} (1–10)</Typography.Text>
                </Col>
                <Col flex="32px" />
              </Row>
            )}
            {fields.map((field, i) => (
              <Row gutter={8} key={field.key} align="top">
                <Col flex="auto">
                  <Form.Item name={[field.name, 'user_id']} rules={[{ required: true, message: t('queues.pickAgent') }]}>
                    <Select
                      showSearch
                      optionFilterProp="label"
                      placeholder={t('queues.pickAgent')}
                      options={userOptions}
                      data-testid={`queue-agent-user-${i}`}
                    />
                  </Form.Item>
                </Col>
                <Col flex="150px">
                  <Form.Item name={[field.name, 'skill_level']} rules={[rangeRule(t, 'skill_level')]}>
                    <InputNumber precision={0} style={{ width: '100%' }} data-testid={`queue-agent-level-${i}`} />
                  </Form.Item>
                </Col>
                <Col flex="32px">
                  <Button type="text" danger icon={<MinusCircleOutlined />} onClick={() => remove(field.name)} aria-label={t('common.remove')} data-testid={`queue-agent-remove-${i}`} />
                </Col>
              </Row>
            ))}
            <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ skill_level: 5 })} data-testid="queue-agents-add">
              {t('queues.addAgent')}
            </Button>
          </>
        )}
      </Form.List>
    </FormModal>
  );
}

function TagsPanel({ tags, loading, reload }: { tags: CategoryTag[]; loading: boolean; reload: () => void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);

  const add = async () => {
    const n = name.trim();
    if (!n) return;
    setBusy(true);
    try {
      await tagsApi.create(n);
      setName('');
      reload();
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (tag: CategoryTag) => {
    try {
      await tagsApi.remove(tag.id);
      reload();
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  return (
    <Card title={t('tags.title')} loading={loading} data-testid="tags-panel">
      <Space.Compact style={{ width: '100%', marginBottom: 12 }}>
        <Input
          value={name}
          onChange={(e) => setName(e.target.value)}
          onPressEnter={() => void add()}
          placeholder={t('tags.placeholder')}
          maxLength={64}
          data-testid="tag-new-name"
        />
        <Button type="primary" icon={<PlusOutlined />} loading={busy} onClick={() => void add()} data-testid="tag-add">
          {t('common.add')}
        </Button>
      </Space.Compact>
      {tags.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tags.empty')} />
      ) : (
        <Space size={[4, 8]} wrap>
          {tags.map((tag) => (
            <Popconfirm key={tag.id} title={t('tags.confirmDelete', { name: tag.name })} onConfirm={() => remove(tag)} okText={t('common.ok')} cancelText={t('common.cancel')}>
              {/* The delete icon is part of the tag, not its close button: a close button stops the
                  click, so clicking the icon opened no confirmation. */}
              <Tag data-testid={`tag-${tag.name}`} style={{ cursor: 'pointer' }}>
                {tag.name} <DeleteOutlined />
              </Tag>
            </Popconfirm>
          ))}
        </Space>
      )}
    </Card>
  );
}
