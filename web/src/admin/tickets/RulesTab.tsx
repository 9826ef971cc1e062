// A type's automation rules: when (created, status changed [to a status], field changed [which],
// due), if (conditions on fields, status, group or assignee), then (assign to a group, round-robin
// in a group, set a field, notify, escalate). Rules run in their order.
import { useState } from 'react';
import { Button, Col, Empty, Form, Input, Popconfirm, Row, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import {
  DeleteOutlined, EditOutlined, ExclamationCircleFilled, MinusCircleOutlined, PlusOutlined,
} from '@ant-design/icons';
import { usersApi } from '../../api/endpoints';
import type { User } from '../../api/types';
import { useT, type TFunc } from '../../i18n';
import { useLoad } from '../../util/useLoad';
import FormModal from '../../components/FormModal';
import { moveItem } from './definition';
import { actionNeedsGroup, cleanRule, joinList, newRule, opNeedsValue, opTakesList, ruleProblems, splitList, TICKET_PROPERTIES } from './rules';
import type { TabProps } from './tabProps';
import {
  CONDITION_OPS, NOTIFY_TARGETS, RULE_ACTION_TYPES, TRIGGERS, type Condition, type FieldDef, type Rule, type RuleAction, type TicketType,
} from '../../tickets/types';
import { displayValue } from './FieldsTab';
import MoveButtons from './MoveButtons';

interface Choice {
  value: string;
  label: string;
}

interface Context {
  draft: TicketType;
  queues: TabProps['queues'];
  users: User[];
}

const userLabel = (u: User) => (u.display_name && u.display_name !== u.login ? `${u.display_name} (${u.login})` : u.login);

/** What a condition on `subject` may be compared with, when it is a closed set. */
function choicesFor(subject: string | undefined, ctx: Context): Choice[] | null {
  if (!subject) return null;
  if (subject === 'status') return ctx.draft.workflow.statuses.map((s) => ({ value: s.code, label: s.label }));
  if (subject === 'group_id') return ctx.queues.map((q) => ({ value: q.id, label: q.name }));
  if (subject === 'assignee_id') return ctx.users.length ? ctx.users.map((u) => ({ value: u.id, label: userLabel(u) })) : null;
  const f = ctx.draft.fields.find((x) => x.code === subject);
  if (f && (f.type === 'single_select' || f.type === 'multi_select')) return (f.options ?? []).map((o) => ({ value: o.value, label: o.label }));
  return null;
}

function subjectLabel(t: TFunc, subject: string, fields: readonly FieldDef[]): string {
  if ((TICKET_PROPERTIES as readonly string[]).includes(subject)) return t(`tkcfg.rule.prop.${subject as (typeof TICKET_PROPERTIES)[number]}`);
  return fields.find((f) => f.code === subject)?.label ?? subject;
}

/** A text or a closed choice, one value or several (joined with `;`). */
function ValueInput({ choices, multiple, value, onChange, placeholder, testId }: {
  choices: Choice[] | null;
  multiple: boolean;
  value?: string;
  onChange?: (v: string) => void;
  placeholder?: string;
  testId?: string;
}) {
  if (multiple) {
    return (
      <Select
        mode={choices ? 'multiple' : 'tags'}
        value={splitList(value)}
        options={choices ?? []}
        onChange={(v: string[]) => onChange?.(joinList(v))}
        placeholder={placeholder}
        style={{ width: '100%' }}
        optionFilterProp="label"
        data-testid={testId}
      />
    );
  }
  if (choices) {
    return (
      <Select
        showSearch
        optionFilterProp="label"
        value={value || undefined}
        options={choices}
        onChange={(v: string) => onChange?.(v)}
        placeholder={placeholder}
        style={{ width: '100%' }}
        data-testid={testId}
      />
    );
  }
  return <Input value={value} onChange={(e) => onChange?.(e.target.value)} placeholder={placeholder} data-testid={testId} />;
}

export default function RulesTab({ draft, onChange, marks, queues }: TabProps) {
  const t = useT();
  const users = useLoad<User[]>(() => usersApi.list().catch(() => []), []);
  const [editing, setEditing] = useState<{ index: number; rule: Rule } | 'new' | null>(null);
  const rules = draft.rules;
  const ctx: Context = { draft, queues, users: users.data };
  const setRules = (next: Rule[]) => onChange({ ...draft, rules: next });
  const groupName = (id?: string | null) => (id ? (queues.find((q) => q.id === id)?.name ?? id) : '?');

  const describeValue = (subject: string, value: string | null | undefined) => {
    const choices = choicesFor(subject, ctx);
    return splitList(value)
      .map((v) => choices?.find((c) => c.value === v)?.label ?? v)
      .join(' | ');
  };

  const describeTrigger = (r: Rule) => {
    const base = t(`tkcfg.trigger.${r.trigger}`);
    if (r.trigger === 'status_changed') {
      return r.status ? `${base} → ${draft.workflow.statuses.find((s) => s.code === r.status)?.label ?? r.status}` : base;
    }
    if (r.trigger === 'field_changed') return `${base}: ${r.field ? subjectLabel(t, r.field, draft.fields) : '?'}`;
    return base;
  };

  const describeCondition = (c: Condition) =>
    `${subjectLabel(t, c.field, draft.fields)} ${t(`tkcfg.op.${c.op}`)}${opNeedsValue(c.op) ? ` ${describeValue(c.field, c.value)}` : ''}`;

  const describeAction = (a: RuleAction) => {
    const name = t(`tkcfg.ruleAction.${a.type}`);
    switch (a.type) {
      case 'assign_group':
      case 'assign_round_robin':
        return `${name}: ${groupName(a.group_id)}`;
      case 'escalate':
        return `${name}: ${groupName(a.group_id)}${a.priority ? ` (${describeValue('priority', a.priority)})` : ''}`;
      case 'set_field': {
        const f = draft.fields.find((x) => x.code === a.field);
        return `${name}: ${f?.label ?? a.field} = ${f ? displayValue(f, f.type === 'multi_select' ? splitList(a.value) : a.value) : a.value}`;
      }
      case 'notify':
        return `${name}: ${a.to ? t(`tkcfg.notify.${a.to}`) : '?'}`;
    }
  };

  return (
    <>
      <div className="tkcfg-tab-bar">
        <Typography.Text type="secondary">{t('tkcfg.rule.help')}</Typography.Text>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="rule-add">
          {t('tkcfg.rule.add')}
        </Button>
      </div>
      {marks.has('rules') && <Typography.Text type="danger" className="tkcfg-part-error">{marks.get('rules')!.join('; ')}</Typography.Text>}
      <Table<Rule>
        rowKey={(r) => r.id ?? r.name}
        size="middle"
        dataSource={rules}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tkcfg.rule.empty')} /> }}
        data-testid="rules-table"
        rowClassName={(_, i) => (marks.has(`rule:${i}`) ? 'tkcfg-row-bad' : '')}
        onRow={(r) => ({ 'data-testid': `rule-row-${r.name}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('tkcfg.order'),
            key: 'order',
            width: 80,
            render: (_, _r, i) => (
              <Space size={0}>
                <MoveButtons index={i} count={rules.length} onMove={(d) => setRules(moveItem(rules, i, d))} />
              </Space>
            ),
          },
          {
            title: t('tkcfg.rule.name'),
            key: 'name',
            render: (_, r, i) => (
              <Space size={4}>
                {marks.has(`rule:${i}`) && (
                  <Tooltip title={marks.get(`rule:${i}`)!.join('; ')}>
                    <ExclamationCircleFilled className="tkcfg-bad-icon" />
                  </Tooltip>
                )}
                <Typography.Text strong>{r.name}</Typography.Text>
              </Space>
            ),
          },
          {
            title: t('tkcfg.rule.active'),
            key: 'active',
            render: (_, r, i) => (
              <Switch size="small" checked={r.active} onChange={(v) => setRules(rules.map((x, j) => (j === i ? { ...x, active: v } : x)))} data-testid={`rule-active-${r.name}`} />
            ),
          },
          { title: t('tkcfg.rule.trigger'), key: 'trigger', render: (_, r) => <Tag color="geekblue">{describeTrigger(r)}</Tag> },
          {
            title: t('tkcfg.rule.conditions'),
            key: 'conditions',
            render: (_, r) =>
              r.conditions.length ? (
                <Space direction="vertical" size={0}>{r.conditions.map((c, i) => <span key={i}>{describeCondition(c)}</span>)}</Space>
              ) : (
                <Typography.Text type="secondary">{t('tkcfg.rule.always')}</Typography.Text>
              ),
          },
          {
            title: t('tkcfg.rule.actions'),
            key: 'actions',
            render: (_, r) => <Space direction="vertical" size={0}>{r.actions.map((a, i) => <span key={i}>{describeAction(a)}</span>)}</Space>,
          },
          {
            title: t('common.actions'),
            key: 'ops',
            fixed: 'right',
            render: (_, r, i) => (
              <Space size={0}>
                <Tooltip title={t('common.edit')}>
                  <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing({ index: i, rule: r })} data-testid={`rule-edit-${r.name}`} />
                </Tooltip>
                <Popconfirm
                  title={t('tkcfg.rule.confirmDelete', { name: r.name })}
                  onConfirm={() => setRules(rules.filter((_, j) => j !== i))}
                  okText={t('common.ok')}
                  cancelText={t('common.cancel')}
                >
                  <Tooltip title={t('common.delete')}>
                    <Button type="link" size="small" danger icon={<DeleteOutlined />} data-testid={`rule-delete-${r.name}`} />
                  </Tooltip>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <RuleModal
        editing={editing}
        ctx={ctx}
        onClose={() => setEditing(null)}
        onSave={(r) => {
          if (editing === 'new') setRules([...rules, r]);
          else if (editing) setRules(rules.map((x, j) => (j === editing.index ? r : x)));
        }}
      />
    </>
  );
}

function RuleModal({ editing, ctx, onClose, onSave }: {
  editing: { index: number; rule: Rule } | 'new' | null;
  ctx: Context;
  onClose: () => void;
  onSave: (r: Rule) => void;
}) {
  const t = useT();
  const { draft, queues } = ctx;
  const existing = editing && editing !== 'new' ? editing.rule : null;
  const statusChoices = draft.workflow.statuses.map((s) => ({ value: s.code, label: `${s.label} (${s.code})` }));
  const fieldChoices = draft.fields.map((f) => ({ value: f.code, label: `${f.label} (${f.code})` }));
  const subjectChoices = [
    {
      label: t('tkcfg.rule.ticketProps'),
      options: TICKET_PROPERTIES.map((p) => ({ value: p, label: t(`tkcfg.rule.prop.${p}`) })),
    },
    { label: t('tkcfg.rule.fields'), options: fieldChoices },
  ];
  const groupChoices = queues.map((q) => ({ value: q.id, label: q.name }));
  const priority = draft.fields.find((f) => f.code === 'priority');
  const priorityChoices = (priority?.options ?? []).map((o) => ({ value: o.value, label: o.label }));

  return (
    <FormModal<Rule>
      open={editing !== null}
      formKey={existing?.id ?? 'new'}
      title={existing ? t('tkcfg.rule.edit', { name: existing.name }) : t('tkcfg.rule.add')}
      okText={t('common.ok')}
      okTestId="rule-form-submit"
      width={860}
      initialValues={existing ?? newRule()}
      onSubmit={async (v) => {
        const rule = cleanRule({
          ...v,
          id: existing?.id ?? v.id,
          conditions: (v.conditions ?? []).filter(Boolean),
          actions: (v.actions ?? []).filter(Boolean),
        });
        const problems = ruleProblems(rule, draft.fields, draft.workflow.statuses.map((s) => s.code));
        if (problems.length) throw new Error(problems.map((p) => t(p.key, p.vars)).join('; '));
        onSave(rule);
      }}
      onClose={onClose}
    >
      {(form) => (
        <>
          <Form.Item name="id" hidden>
            <Input />
          </Form.Item>
          <Row gutter={16}>
            <Col flex="auto">
              <Form.Item name="name" label={t('tkcfg.rule.name')} rules={[{ required: true, whitespace: true, message: t('tkcfg.problem.ruleName') }, { max: 64 }]}>
                <Input maxLength={64} data-testid="rule-form-name" />
              </Form.Item>
            </Col>
            <Col>
              <Form.Item name="active" label={t('tkcfg.rule.active')} valuePropName="checked">
                <Switch data-testid="rule-form-active" />
              </Form.Item>
            </Col>
          </Row>
          <Typography.Title level={5}>{t('tkcfg.rule.when')}</Typography.Title>
          <Row gutter={16}>
            <Col span={10}>
              <Form.Item name="trigger" label={t('tkcfg.rule.trigger')} rules={[{ required: true }]}>
                <Select data-testid="rule-form-trigger" options={TRIGGERS.map((tr) => ({ value: tr, label: t(`tkcfg.trigger.${tr}`) }))} />
              </Form.Item>
            </Col>
            <Col span={14}>
              <Form.Item noStyle shouldUpdate={(a: Rule, b: Rule) => a.trigger !== b.trigger}>
                {() => {
                  const trigger = form.getFieldValue('trigger') as Rule['trigger'];
                  if (trigger === 'status_changed') {
                    return (
                      <Form.Item name="status" label={t('tkcfg.rule.toStatus')} extra={t('tkcfg.rule.anyStatusHelp')}>
                        <Select allowClear placeholder={t('tkcfg.rule.anyStatus')} options={statusChoices} data-testid="rule-form-status" />
                      </Form.Item>
                    );
                  }
                  if (trigger === 'field_changed') {
                    return (
                      <Form.Item name="field" label={t('tkcfg.rule.whichField')} rules={[{ required: true, message: t('tkcfg.problem.ruleTriggerField') }]}>
                        <Select showSearch optionFilterProp="label" options={fieldChoices} data-testid="rule-form-field" />
                      </Form.Item>
                    );
                  }
                  if (trigger === 'due') return <Typography.Paragraph type="secondary" className="tkcfg-hint">{t('tkcfg.rule.dueHelp')}</Typography.Paragraph>;
                  return null;
                }}
              </Form.Item>
            </Col>
          </Row>

          <Typography.Title level={5}>{t('tkcfg.rule.if')}</Typography.Title>
          <Form.List name="conditions">
            {(items, { add, remove }) => (
              <>
                {items.length === 0 && <Typography.Paragraph type="secondary">{t('tkcfg.rule.noConditions')}</Typography.Paragraph>}
                {items.map((item, i) => (
                  <Row gutter={8} key={item.key} align="top">
                    <Col span={8}>
                      <Form.Item name={[item.name, 'field']} rules={[{ required: true, message: t('common.required') }]}>
                        <Select
                          showSearch
                          optionFilterProp="label"
                          placeholder={t('tkcfg.rule.subject')}
                          options={subjectChoices}
                          data-testid={`rule-cond-field-${i}`}
                          onChange={() => form.setFieldValue(['conditions', item.name, 'value'], undefined)}
                        />
                      </Form.Item>
                    </Col>
                    <Col span={5}>
                      <Form.Item name={[item.name, 'op']} rules={[{ required: true, message: t('common.required') }]}>
                        <Select options={CONDITION_OPS.map((op) => ({ value: op, label: t(`tkcfg.op.${op}`) }))} data-testid={`rule-cond-op-${i}`} />
                      </Form.Item>
                    </Col>
                    <Col flex="auto">
                      <Form.Item noStyle shouldUpdate>
                        {() => {
                          const c = (form.getFieldValue(['conditions', item.name]) ?? {}) as Partial<Condition>;
                          if (!c.op || !opNeedsValue(c.op)) return null;
                          return (
                            <Form.Item name={[item.name, 'value']} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
                              <ValueInput
                                choices={choicesFor(c.field, ctx)}
                                multiple={opTakesList(c.op)}
                                placeholder={opTakesList(c.op) ? t('tkcfg.rule.valuesPlaceholder') : t('tkcfg.rule.valuePlaceholder')}
                                testId={`rule-cond-value-${i}`}
                              />
                            </Form.Item>
                          );
                        }}
                      </Form.Item>
                    </Col>
                    <Col flex="32px">
                      <Button type="text" danger icon={<MinusCircleOutlined />} onClick={() => remove(item.name)} aria-label={t('common.remove')} />
                    </Col>
                  </Row>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ field: undefined, op: 'eq' })} disabled={items.length >= 20} data-testid="rule-cond-add" style={{ marginBottom: 16 }}>
                  {t('tkcfg.rule.addCondition')}
                </Button>
              </>
            )}
          </Form.List>

          <Typography.Title level={5}>{t('tkcfg.rule.then')}</Typography.Title>
          <Form.List name="actions">
            {(items, { add, remove }) => (
              <>
                {items.map((item, i) => (
                  <Row gutter={8} key={item.key} align="top">
                    <Col span={7}>
                      <Form.Item name={[item.name, 'type']} rules={[{ required: true, message: t('common.required') }]}>
                        <Select options={RULE_ACTION_TYPES.map((ty) => ({ value: ty, label: t(`tkcfg.ruleAction.${ty}`) }))} data-testid={`rule-action-type-${i}`} />
                      </Form.Item>
                    </Col>
                    <Form.Item noStyle shouldUpdate>
                      {() => {
                        const a = (form.getFieldValue(['actions', item.name]) ?? {}) as Partial<RuleAction>;
                        if (!a.type) return <Col flex="auto" />;
                        if (actionNeedsGroup(a.type)) {
                          return (
                            <>
                              <Col flex="auto">
                                <Form.Item name={[item.name, 'group_id']} rules={[{ required: true, message: t('tkcfg.problem.ruleGroup') }]}>
                                  <Select showSearch optionFilterProp="label" placeholder={t('tkcfg.rule.group')} options={groupChoices} data-testid={`rule-action-group-${i}`} />
                                </Form.Item>
                              </Col>
                              {a.type === 'escalate' && (
                                <Col span={6}>
                                  <Form.Item name={[item.name, 'priority']}>
                                    <Select allowClear placeholder={t('tkcfg.rule.priorityKeep')} options={priorityChoices} data-testid={`rule-action-priority-${i}`} />
                                  </Form.Item>
                                </Col>
                              )}
                            </>
                          );
                        }
                        if (a.type === 'notify') {
                          return (
                            <Col flex="auto">
                              <Form.Item name={[item.name, 'to']} rules={[{ required: true, message: t('tkcfg.problem.ruleNotify') }]}>
                                <Select options={NOTIFY_TARGETS.map((n) => ({ value: n, label: t(`tkcfg.notify.${n}`) }))} data-testid={`rule-action-to-${i}`} />
                              </Form.Item>
                            </Col>
                          );
                        }
                        const f = draft.fields.find((x) => x.code === a.field);
                        return (
                          <>
                            <Col span={7}>
                              <Form.Item name={[item.name, 'field']} rules={[{ required: true, message: t('tkcfg.problem.ruleSetField') }]}>
                                <Select
                                  showSearch
                                  optionFilterProp="label"
                                  placeholder={t('tkcfg.rule.field')}
                                  options={fieldChoices}
                                  data-testid={`rule-action-field-${i}`}
                                  onChange={() => form.setFieldValue(['actions', item.name, 'value'], undefined)}
                                />
                              </Form.Item>
                            </Col>
                            <Col flex="auto">
                              <Form.Item name={[item.name, 'value']} extra={f ? t('tkcfg.rule.valueFormat', { type: t(`tkcfg.ftype.${f.type}`) }) : undefined}>
                                <ValueInput
                                  choices={f ? choicesFor(f.code, ctx) : null}
                                  multiple={f?.type === 'multi_select'}
                                  placeholder={t('tkcfg.rule.valuePlaceholder')}
                                  testId={`rule-action-value-${i}`}
                                />
                              </Form.Item>
                            </Col>
                          </>
                        );
                      }}
                    </Form.Item>
                    <Col flex="32px">
                      <Button type="text" danger icon={<MinusCircleOutlined />} onClick={() => remove(item.name)} disabled={items.length <= 1} aria-label={t('common.remove')} />
                    </Col>
                  </Row>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ type: 'notify', to: 'assignee' })} disabled={items.length >= 10} data-testid="rule-action-add">
                  {t('tkcfg.rule.addAction')}
                </Button>
              </>
            )}
          </Form.List>
        </>
      )}
    </FormModal>
  );
}
