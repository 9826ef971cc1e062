// A type's workflow: statuses (code, label, open / pending / closed), the initial status, and the
// actions that move a ticket between them (from, to, a required note, required fields, a skill
// group to hand the ticket to). A diagram and a transition table show the result.
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Popconfirm, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import {
  ArrowRightOutlined, DeleteOutlined, EditOutlined, ExclamationCircleFilled, PlusOutlined,
} from '@ant-design/icons';
import { useT } from '../../i18n';
import FormModal from '../../components/FormModal';
import {
  cleanAction, codeProblem, diagram, DIAGRAM, moveItem, removeStatus, replaceAction, replaceStatus, statusReferences, transitions,
  unreachableStatuses,
} from './definition';
import type { TabProps } from './tabProps';
import { STATUS_CATEGORIES, type StatusCategory, type Workflow, type WorkflowAction, type WorkflowStatus } from '../../tickets/types';
import MoveButtons from './MoveButtons';

export const CATEGORY_COLORS: Record<StatusCategory, string> = { open: 'blue', pending: 'gold', closed: 'green' };
const CATEGORY_FILL: Record<StatusCategory, [string, string]> = {
  open: ['#e6f4ff', '#1677ff'],
  pending: ['#fffbe6', '#d48806'],
  closed: ['#f6ffed', '#389e0d'],
};

export default function WorkflowTab({ draft, onChange, marks, queues }: TabProps) {
  const t = useT();
  const wf = draft.workflow;
  const [statusDialog, setStatusDialog] = useState<WorkflowStatus | 'new' | null>(null);
  const [actionDialog, setActionDialog] = useState<WorkflowAction | 'new' | null>(null);
  const setWf = (next: Workflow) => onChange({ ...draft, workflow: next });
  const groupName = (id?: string) => (id ? (queues.find((q) => q.id === id)?.name ?? id) : '');
  const fieldLabel = (code: string) => draft.fields.find((f) => f.code === code)?.label ?? code;
  const unreachable = unreachableStatuses(wf);
  const markIcon = (ref: string) =>
    marks.has(ref) ? (
      <Tooltip title={marks.get(ref)!.join('; ')}>
        <ExclamationCircleFilled className="tkcfg-bad-icon" />
      </Tooltip>
    ) : null;

  const statusTag = (code: string) => {
    const s = wf.statuses.find((x) => x.code === code);
    return <Tag key={code} color={s ? CATEGORY_COLORS[s.category] : 'red'}>{s?.label ?? code}</Tag>;
  };

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {marks.has('workflow') && <Alert type="error" showIcon message={marks.get('workflow')!.join('; ')} />}
      <Card
        size="small"
        title={t('tkcfg.wf.statuses')}
        extra={
          <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => setStatusDialog('new')} data-testid="status-add">
            {t('tkcfg.wf.addStatus')}
          </Button>
        }
      >
        <Form layout="inline" style={{ marginBottom: 12 }}>
          <Form.Item
            label={t('tkcfg.wf.initial')}
            validateStatus={marks.has('initial') ? 'error' : undefined}
            help={marks.get('initial')?.join('; ')}
            extra={t('tkcfg.wf.initialHelp')}
          >
            <Select
              style={{ minWidth: 200 }}
              value={wf.initial || undefined}
              onChange={(v: string) => setWf({ ...wf, initial: v })}
              data-testid="wf-initial"
              options={wf.statuses.map((s) => ({ value: s.code, label: `${s.label} (${s.code})`, disabled: s.category === 'closed' }))}
            />
          </Form.Item>
        </Form>
        <Table<WorkflowStatus>
          rowKey="code"
          size="small"
          dataSource={wf.statuses}
          pagination={false}
          data-testid="statuses-table"
          rowClassName={(s) => (marks.has(`status:${s.code}`) ? 'tkcfg-row-bad' : '')}
          onRow={(s) => ({ 'data-testid': `status-row-${s.code}` }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            {
              title: t('tkcfg.order'),
              key: 'order',
              width: 80,
              render: (_, _s, i) => (
                <Space size={0}>
                  <MoveButtons index={i} count={wf.statuses.length} onMove={(d) => setWf({ ...wf, statuses: moveItem(wf.statuses, i, d) })} />
                </Space>
              ),
            },
            {
              title: t('tkcfg.wf.statusLabel'),
              key: 'label',
              render: (_, s) => (
                <Space size={4}>
                  {markIcon(`status:${s.code}`)}
                  <Typography.Text strong>{s.label}</Typography.Text>
                  {s.code === wf.initial && <Tag color="processing">{t('tkcfg.wf.initialTag')}</Tag>}
                  {unreachable.includes(s.code) && (
                    <Tooltip title={t('tkcfg.wf.unreachableHelp')}>
                      <Tag color="warning">{t('tkcfg.wf.unreachable')}</Tag>
                    </Tooltip>
                  )}
                </Space>
              ),
            },
            { title: t('tkcfg.code'), dataIndex: 'code', render: (c: string) => <Typography.Text code>{c}</Typography.Text> },
            {
              title: t('tkcfg.wf.category'),
              dataIndex: 'category',
              render: (c: StatusCategory) => <Tag color={CATEGORY_COLORS[c]}>{t(`tkcfg.cat3.${c}`)}</Tag>,
            },
            {
              title: t('common.actions'),
              key: 'ops',
              render: (_, s) => {
                const gone = statusReferences(wf, s.code);
                return (
                  <Space size={0}>
                    <Tooltip title={t('common.edit')}>
                      <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setStatusDialog(s)} data-testid={`status-edit-${s.code}`} />
                    </Tooltip>
                    <Popconfirm
                      title={gone.length ? t('tkcfg.wf.confirmDeleteStatusActions', { actions: gone.join(', ') }) : t('tkcfg.wf.confirmDeleteStatus')}
                      overlayStyle={{ maxWidth: 360 }}
                      onConfirm={() => setWf(removeStatus(wf, s.code).workflow)}
                      okText={t('common.ok')}
                      cancelText={t('common.cancel')}
                    >
                      <Tooltip title={t('common.delete')}>
                        <Button type="link" size="small" danger icon={<DeleteOutlined />} disabled={wf.statuses.length <= 1} data-testid={`status-delete-${s.code}`} />
                      </Tooltip>
                    </Popconfirm>
                  </Space>
                );
              },
            },
          ]}
        />
      </Card>

      <Card
        size="small"
        title={t('tkcfg.wf.actions')}
        extra={
          <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => setActionDialog('new')} data-testid="action-add">
            {t('tkcfg.wf.addAction')}
          </Button>
        }
      >
        <Table<WorkflowAction>
          rowKey="code"
          size="small"
          dataSource={wf.actions}
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="actions-table"
          rowClassName={(a) => (marks.has(`action:${a.code}`) ? 'tkcfg-row-bad' : '')}
          onRow={(a) => ({ 'data-testid': `action-row-${a.code}` }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            {
              title: t('tkcfg.order'),
              key: 'order',
              width: 80,
              render: (_, _a, i) => (
                <Space size={0}>
                  <MoveButtons index={i} count={wf.actions.length} onMove={(d) => setWf({ ...wf, actions: moveItem(wf.actions, i, d) })} />
                </Space>
              ),
            },
            {
              title: t('tkcfg.wf.actionLabel'),
              key: 'label',
              render: (_, a) => (
                <Space size={4}>
                  {markIcon(`action:${a.code}`)}
                  <Typography.Text strong>{a.label}</Typography.Text>
                  <Typography.Text type="secondary" code>{a.code}</Typography.Text>
                </Space>
              ),
            },
            {
              title: t('tkcfg.wf.transition'),
              key: 'transition',
              render: (_, a) => (
                <Space size={2} wrap>
                  {a.from.map(statusTag)}
                  <ArrowRightOutlined />
                  {statusTag(a.to)}
                </Space>
              ),
            },
            {
              title: t('tkcfg.wf.requiresNote'),
              dataIndex: 'requires_note',
              render: (v: boolean) => (v ? <Tag color="orange">{t('common.yes')}</Tag> : <Typography.Text type="secondary">{t('common.no')}</Typography.Text>),
            },
            {
              title: t('tkcfg.wf.requiredFields'),
              dataIndex: 'required_fields',
              render: (codes: string[]) => (codes.length ? codes.map((c) => <Tag key={c}>{fieldLabel(c)}</Tag>) : '—'),
            },
            {
              title: t('tkcfg.wf.assignGroup'),
              dataIndex: 'assign_group_id',
              render: (id?: string) => groupName(id) || '—',
            },
            {
              title: t('common.actions'),
              key: 'ops',
              fixed: 'right',
              render: (_, a) => (
                <Space size={0}>
                  <Tooltip title={t('common.edit')}>
                    <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setActionDialog(a)} data-testid={`action-edit-${a.code}`} />
                  </Tooltip>
                  <Popconfirm
                    title={t('tkcfg.wf.confirmDeleteAction', { name: a.label })}
                    onConfirm={() => setWf({ ...wf, actions: wf.actions.filter((x) => x.code !== a.code) })}
                    okText={t('common.ok')}
                    cancelText={t('common.cancel')}
                  >
                    <Tooltip title={t('common.delete')}>
                      <Button type="link" size="small" danger icon={<DeleteOutlined />} data-testid={`action-delete-${a.code}`} />
                    </Tooltip>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      </Card>

      <Card size="small" title={t('tkcfg.wf.diagram')}>
        <WorkflowDiagram workflow={wf} />
        <Typography.Title level={5} style={{ marginTop: 16 }}>{t('tkcfg.wf.transitionTable')}</Typography.Title>
        <Table
          rowKey={(r) => r.status.code}
          size="small"
          pagination={false}
          data-testid="transitions-table"
          dataSource={transitions(wf)}
          columns={[
            { title: t('tkcfg.wf.fromStatus'), key: 'from', width: 200, render: (_, r) => statusTag(r.status.code) },
            {
              title: t('tkcfg.wf.possibleActions'),
              key: 'actions',
              render: (_, r) =>
                r.actions.length === 0 ? (
                  <Typography.Text type="secondary">
                    {r.status.category === 'closed' ? t('tkcfg.wf.endsHere') : t('tkcfg.wf.noWayOut')}
                  </Typography.Text>
                ) : (
                  <Space direction="vertical" size={2}>
                    {r.actions.map((a) => (
                      <span key={a.code}>
                        <Typography.Text strong>{a.label}</Typography.Text> <ArrowRightOutlined /> {statusTag(a.to)}
                        {a.requires_note && <Tag color="orange">{t('tkcfg.wf.noteTag')}</Tag>}
                        {a.assign_group_id && <Tag color="purple">{t('tkcfg.wf.toGroup', { name: groupName(a.assign_group_id) })}</Tag>}
                      </span>
                    ))}
                  </Space>
                ),
            },
          ]}
        />
      </Card>

      <StatusModal
        status={statusDialog}
        workflow={wf}
        onClose={() => setStatusDialog(null)}
        onSave={(s) => {
          if (statusDialog === 'new') {
            setWf({ ...wf, statuses: [...wf.statuses, { ...s, label: s.label.trim() }], initial: wf.initial || (s.category !== 'closed' ? s.code : '') });
          } else if (statusDialog) {
            setWf(replaceStatus(wf, statusDialog.code, s));
          }
        }}
      />
      <ActionModal
        action={actionDialog}
        draft={draft}
        queues={queues}
        onClose={() => setActionDialog(null)}
        onSave={(a) => {
          if (actionDialog === 'new') setWf({ ...wf, actions: [...wf.actions, cleanAction(a)] });
          else if (actionDialog) setWf(replaceAction(wf, actionDialog.code, a));
        }}
      />
    </Space>
  );
}

/** The statuses in a row with arcs for the actions (forward above, back below, loops on top). */
export function WorkflowDiagram({ workflow }: { workflow: Workflow }) {
  const t = useT();
  const d = diagram(workflow);
  const { nodeW, nodeH } = DIAGRAM;
  if (workflow.statuses.length === 0) return <Typography.Text type="secondary">{t('tkcfg.wf.noStatuses')}</Typography.Text>;
  return (
    <div className="tkcfg-diagram" data-testid="wf-diagram">
      <svg width={d.width} height={d.height} viewBox={`0 0 ${d.width} ${d.height}`} role="img" aria-label={t('tkcfg.wf.diagram')}>
        <defs>
          <marker id="tkcfg-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#8c8c8c" />
          </marker>
        </defs>
        {d.edges.map((e) => (
          <g key={`${e.from}-${e.to}`}>
            <path d={e.path} fill="none" stroke="#8c8c8c" strokeWidth={1.4} markerEnd="url(#tkcfg-arrow)" />
            <text x={e.labelX} y={e.labelY} textAnchor="middle" fontSize={11} fill="#595959" className="tkcfg-diagram-label">
              {e.labels.join(' / ')}
            </text>
          </g>
        ))}
        {d.nodes.map((n) => {
          const [fill, stroke] = CATEGORY_FILL[n.category];
          return (
            <g key={n.code}>
              <rect x={n.x} y={n.y} width={nodeW} height={nodeH} rx={8} fill={fill} stroke={stroke} strokeWidth={n.initial ? 2.5 : 1.2} />
              <text x={n.x + nodeW / 2} y={n.y + nodeH / 2 + 4} textAnchor="middle" fontSize={13} fill="#262626">
                {n.label.length > 10 ? `${n.label.slice(0, 9)}…` : n.label}
              </text>
              {n.initial && (
                <g>
                  <title>{t('tkcfg.wf.initialTag')}</title>
                  <circle cx={n.x - 14} cy={n.y + nodeH / 2} r={4} fill="#1677ff" />
                  <line x1={n.x - 10} y1={n.y + nodeH / 2} x2={n.x - 2} y2={n.y + nodeH / 2} stroke="#1677ff" strokeWidth={1.6} markerEnd="url(#tkcfg-arrow)" />
                </g>
              )}
            </g>
          );
        })}
      </svg>
    </div>
  );
}

function StatusModal({ status, workflow, onClose, onSave }: {
  status: WorkflowStatus | 'new' | null;
  workflow: Workflow;
  onClose: () => void;
  onSave: (s: WorkflowStatus) => void;
}) {
  const t = useT();
  const existing = status && status !== 'new' ? status : null;
  const taken = workflow.statuses.map((s) => s.code).filter((c) => c !== existing?.code);
  return (
    <FormModal<WorkflowStatus>
      open={status !== null}
      formKey={existing?.code ?? 'new'}
      title={existing ? t('tkcfg.wf.editStatus') : t('tkcfg.wf.addStatus')}
      okText={t('common.ok')}
      okTestId="status-form-submit"
      initialValues={existing ?? { code: '', label: '', category: 'open' }}
      onSubmit={async (v) => {
        if (existing && existing.code === workflow.initial && v.category === 'closed') {
          throw new Error(t('tkcfg.problem.initialClosed'));
        }
        onSave({ code: existing?.code ?? v.code.trim(), label: v.label, category: v.category });
      }}
      onClose={onClose}
    >
      <Form.Item
        name="code"
        label={t('tkcfg.code')}
        extra={existing ? t('tkcfg.wf.codeFixed') : t('tkcfg.codeHelp')}
        rules={[
          { required: true, message: t('common.required') },
          {
            validator: async (_, v: string) => {
              if (existing) return;
              const p = codeProblem((v ?? '').trim(), taken);
              if (p) throw new Error(t(p, { code: v }));
            },
          },
        ]}
      >
        <Input disabled={!!existing} maxLength={32} data-testid="status-form-code" />
      </Form.Item>
      <Form.Item name="label" label={t('tkcfg.wf.statusLabel')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 64 }]}>
        <Input maxLength={64} data-testid="status-form-label" />
      </Form.Item>
      <Form.Item name="category" label={t('tkcfg.wf.category')} extra={t('tkcfg.wf.categoryHelp')}>
        <Select data-testid="status-form-category" options={STATUS_CATEGORIES.map((c) => ({ value: c, label: t(`tkcfg.cat3.${c}`) }))} />
      </Form.Item>
    </FormModal>
  );
}

interface ActionForm {
  code: string;
  label: string;
  from: string[];
  to: string;
  requires_note: boolean;
  required_fields: string[];
  assign_group_id?: string | null;
}

function ActionModal({ action, draft, queues, onClose, onSave }: {
  action: WorkflowAction | 'new' | null;
  draft: TabProps['draft'];
  queues: TabProps['queues'];
  onClose: () => void;
  onSave: (a: WorkflowAction) => void;
}) {
  const t = useT();
  const wf = draft.workflow;
  const existing = action && action !== 'new' ? action : null;
  const taken = wf.actions.map((a) => a.code).filter((c) => c !== existing?.code);
  const statusOptions = wf.statuses.map((s) => ({ value: s.code, label: `${s.label} (${s.code})` }));
  return (
    <FormModal<ActionForm>
      open={action !== null}
      formKey={existing?.code ?? 'new'}
      title={existing ? t('tkcfg.wf.editAction') : t('tkcfg.wf.addAction')}
      okText={t('common.ok')}
      okTestId="action-form-submit"
      width={640}
      initialValues={
        existing
          ? { ...existing, assign_group_id: existing.assign_group_id ?? null }
          : { code: '', label: '', from: [], to: undefined, requires_note: false, required_fields: [], assign_group_id: null }
      }
      onSubmit={async (v) => {
        onSave({
          code: existing?.code ?? v.code.trim(),
          label: v.label,
          from: v.from ?? [],
          to: v.to,
          requires_note: !!v.requires_note,
          required_fields: v.required_fields ?? [],
          ...(v.assign_group_id ? { assign_group_id: v.assign_group_id } : {}),
        });
      }}
      onClose={onClose}
    >
      <Space align="start" wrap className="tkcfg-form-row">
        <Form.Item
          name="code"
          label={t('tkcfg.code')}
          extra={existing ? t('tkcfg.wf.codeFixed') : t('tkcfg.codeHelp')}
          style={{ width: 220 }}
          rules={[
            { required: true, message: t('common.required') },
            {
              validator: async (_, v: string) => {
                if (existing) return;
                const p = codeProblem((v ?? '').trim(), taken);
                if (p) throw new Error(t(p, { code: v }));
              },
            },
          ]}
        >
          <Input disabled={!!existing} maxLength={32} data-testid="action-form-code" />
        </Form.Item>
        <Form.Item name="label" label={t('tkcfg.wf.actionLabel')} style={{ width: 300 }} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 64 }]}>
          <Input maxLength={64} data-testid="action-form-label" />
        </Form.Item>
      </Space>
      <Form.Item name="from" label={t('tkcfg.wf.from')} extra={t('tkcfg.wf.fromHelp')} rules={[{ required: true, type: 'array', min: 1, message: t('tkcfg.problem.actionFrom') }]}>
        <Select mode="multiple" options={statusOptions} data-testid="action-form-from" />
      </Form.Item>
      <Form.Item name="to" label={t('tkcfg.wf.to')} extra={t('tkcfg.wf.toHelp')} rules={[{ required: true, message: t('tkcfg.problem.actionTo') }]}>
        <Select options={statusOptions} data-testid="action-form-to" />
      </Form.Item>
      <Form.Item name="requires_note" label={t('tkcfg.wf.requiresNote')} valuePropName="checked" extra={t('tkcfg.wf.requiresNoteHelp')}>
        <Switch data-testid="action-form-note" />
      </Form.Item>
      <Form.Item name="required_fields" label={t('tkcfg.wf.requiredFields')} extra={t('tkcfg.wf.requiredFieldsHelp')}>
        <Select
          mode="multiple"
          allowClear
          optionFilterProp="label"
          data-testid="action-form-fields"
          options={draft.fields.map((f) => ({ value: f.code, label: `${f.label} (${f.code})` }))}
        />
      </Form.Item>
      <Form.Item name="assign_group_id" label={t('tkcfg.wf.assignGroup')} extra={t('tkcfg.wf.assignGroupHelp')}>
        <Select
          allowClear
          placeholder={t('common.none')}
          data-testid="action-form-group"
          options={queues.map((q) => ({ value: q.id, label: q.name }))}
        />
      </Form.Item>
    </FormModal>
  );
}
