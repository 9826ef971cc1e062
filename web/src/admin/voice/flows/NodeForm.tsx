// The form for the selected node: its label and the fields of its kind. Changes go straight
// into the flow being edited; `errors` (the editor's own checks and the server's refusal)
// show beside the field they name.
import type { ReactNode } from 'react';
import { Button, Checkbox, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useT } from '../../../i18n';
import { isDate, isTime, KEYS, withField, type FlowDef, type FlowNode, type WindowDef } from './model';
import PromptPicker, { type PromptChoices } from './PromptPicker';

export interface NodeFormContext {
  def: FlowDef;
  voiceQueues: { value: string; label: string }[];
  taskQueues: { value: string; label: string }[];
  flows: { value: string; label: string }[];
  prompts: PromptChoices;
}

interface Props {
  id: string;
  node: FlowNode;
  ctx: NodeFormContext;
  /** Field → what is wrong with it. */
  errors: Record<string, string>;
  onChange: (node: FlowNode) => void;
}

export default function NodeForm({ id, node, ctx, errors, onChange }: Props) {
  const t = useT();
  const set = (field: string, value: unknown) => onChange(withField(node, field, value));
  const item = (field: string, label: ReactNode, child: ReactNode, extra?: ReactNode) => (
    <Form.Item label={label} validateStatus={errors[field] ? 'error' : undefined} help={errors[field]} extra={extra}>
      {child}
    </Form.Item>
  );
  const targets = Object.entries(ctx.def.nodes)
    .filter(([k]) => k !== id)
    .map(([k, n]) => ({ value: k, label: `${n.label || k} (${k})` }));
  const target = (field: string, value: string) =>
    item(
      field,
      t(`voice.flow.f.${field}` as 'voice.flow.f.next'),
      <Select value={value || undefined} placeholder={t('voice.flow.f.pickTarget')} options={targets} onChange={(v: string) => set(field, v)} data-testid={`node-${field}`} />,
    );
  const prompts = (field: 'prompts' | 'invalid_prompts', value: string[]) =>
    item(field, t(`voice.flow.f.${field}`), <PromptPicker value={value} onChange={(v) => set(field, v)} choices={ctx.prompts} testId={`node-${field}`} />);
  const timeout = (ms: number) =>
    item(
      'timeout_ms',
      t('voice.flow.f.timeout_ms'),
      <InputNumber min={1} max={60} value={ms / 1000} onChange={(v) => set('timeout_ms', Math.round((v ?? 5) * 1000))} data-testid="node-timeout" />,
    );

  let fields: ReactNode = null;
  switch (node.type) {
    case 'play':
      fields = (
        <>
          {prompts('prompts', node.prompts)}
          {target('next', node.next)}
        </>
      );
      break;
    case 'menu':
      fields = (
        <>
          {prompts('prompts', node.prompts)}
          {item('choices', t('voice.flow.f.choices'), <MenuKeys choices={node.choices} targets={targets} onChange={(c) => set('choices', c)} />)}
          {timeout(node.timeout_ms)}
          {item('retries', t('voice.flow.f.retries'), <InputNumber min={0} max={9} value={node.retries} onChange={(v) => set('retries', v ?? 0)} data-testid="node-retries" />)}
          {prompts('invalid_prompts', node.invalid_prompts ?? [])}
          {target('fallback', node.fallback)}
        </>
      );
      break;
    case 'collect':
      fields = (
        <>
          {prompts('prompts', node.prompts)}
          {item('variable', t('voice.flow.f.variable'), <Input value={node.variable} maxLength={32} onChange={(e) => set('variable', e.target.value)} data-testid="node-variable" />, t('voice.flow.f.variableHelp'))}
          {item('max_digits', t('voice.flow.f.max_digits'), <InputNumber min={1} max={32} value={node.max_digits} onChange={(v) => set('max_digits', v ?? 1)} />)}
          {item(
            'terminator',
            t('voice.flow.f.terminator'),
            <Select
              value={node.terminator ?? ''}
              onChange={(v: string) => set('terminator', v || null)}
              options={[{ value: '', label: t('voice.flow.f.terminatorNone') }, { value: '#', label: '#' }, { value: '*', label: '*' }]}
            />,
          )}
          {timeout(node.timeout_ms)}
          {target('next', node.next)}
          {target('fallback', node.fallback)}
        </>
      );
      break;
    case 'hours':
      fields = (
        <>
          {item('windows', t('voice.flow.f.windows'), <Windows windows={node.windows} onChange={(w) => set('windows', w)} />)}
          {item(
            'holidays',
            t('voice.flow.f.holidays'),
            <Select mode="tags" value={node.holidays ?? []} onChange={(v: string[]) => set('holidays', v.filter(isDate))} open={false} tokenSeparators={[',', ' ', '，']} />,
            t('voice.flow.f.holidaysHelp'),
          )}
          {target('open', node.open)}
          {target('closed', node.closed)}
        </>
      );
      break;
    case 'queue':
      fields = item('queue_id', t('voice.flow.f.voiceQueue'), <Select value={node.queue_id || undefined} options={ctx.voiceQueues} onChange={(v: string) => set('queue_id', v)} data-testid="node-queue" />);
      break;
    case 'extension':
      fields = item('number', t('voice.flow.f.number'), <Input value={node.number} inputMode="numeric" maxLength={16} onChange={(e) => set('number', e.target.value.trim())} data-testid="node-number" />);
      break;
    case 'voicemail':
      fields = (
        <>
          {prompts('prompts', node.prompts)}
          {item('max_seconds', t('voice.flow.f.max_seconds'), <InputNumber min={10} max={600} value={node.max_seconds} onChange={(v) => set('max_seconds', v ?? 120)} />)}
          {item('queue_id', t('voice.flow.f.taskQueue'), <Select value={node.queue_id || undefined} options={ctx.taskQueues} onChange={(v: string) => set('queue_id', v)} data-testid="node-task-queue" />)}
        </>
      );
      break;
    case 'sub_flow':
      fields = item(
        'flow_id',
        t('voice.flow.f.flow_id'),
        <Select value={node.flow_id || undefined} options={ctx.flows} onChange={(v: string) => set('flow_id', v)} data-testid="node-flow" />,
        t('voice.flow.f.subFlowHelp'),
      );
      break;
    case 'hangup':
      fields = <Typography.Paragraph type="secondary">{t('voice.flow.f.hangupHelp')}</Typography.Paragraph>;
      break;
  }

  return (
    <Form layout="vertical" data-testid="node-form">
      {item('label', t('voice.flow.f.label'), <Input value={node.label} maxLength={32} onChange={(e) => set('label', e.target.value)} data-testid="node-label" />, t('voice.flow.f.labelHelp'))}
      {fields}
    </Form>
  );
}

/** A menu's keys: one row each, key → node. */
function MenuKeys(props: { choices: Record<string, string>; targets: { value: string; label: string }[]; onChange: (c: Record<string, string>) => void }) {
  const t = useT();
  const { choices, targets, onChange } = props;
  const used = Object.keys(choices);
  const free = KEYS.filter((k) => !used.includes(k));
  const rekey = (old: string, key: string) => onChange(Object.fromEntries(Object.entries(choices).map(([k, v]) => (k === old ? [key, v] : [k, v]))));
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={4}>
      {Object.entries(choices).map(([k, v]) => (
        <Space.Compact key={k} style={{ width: '100%' }}>
          <Select value={k} style={{ width: 70 }} options={[k, ...free].map((x) => ({ value: x, label: x }))} onChange={(x: string) => rekey(k, x)} data-testid={`node-key-${k}`} />
          <Select
            value={v || undefined}
            style={{ flex: 1 }}
            placeholder={t('voice.flow.f.pickTarget')}
            options={targets}
            onChange={(x: string) => onChange({ ...choices, [k]: x })}
            data-testid={`node-key-${k}-target`}
          />
          <Button
            icon={<DeleteOutlined />}
            onClick={() => onChange(Object.fromEntries(Object.entries(choices).filter(([x]) => x !== k)))}
            aria-label={t('common.delete')}
          />
        </Space.Compact>
      ))}
      {free.length > 0 && (
        <Button size="small" icon={<PlusOutlined />} onClick={() => onChange({ ...choices, [free[0]]: '' })} data-testid="node-add-key">
          {t('voice.flow.f.addKey')}
        </Button>
      )}
    </Space>
  );
}

/** Opening hours: weekdays and a from–to time each. */
function Windows(props: { windows: WindowDef[]; onChange: (w: WindowDef[]) => void }) {
  const t = useT();
  const { windows, onChange } = props;
  const change = (i: number, w: WindowDef) => onChange(windows.map((x, j) => (j === i ? w : x)));
  const days = [1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: t(`voice.flow.weekday.${d}` as 'voice.flow.weekday.1') }));
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={8}>
      {windows.map((w, i) => (
        <Space key={i} direction="vertical" size={2} style={{ width: '100%', borderBottom: '1px dashed #eee', paddingBottom: 6 }}>
          <Checkbox.Group options={days} value={w.days} onChange={(v) => change(i, { ...w, days: (v).sort() })} />
          <Space>
            <Input value={w.from} style={{ width: 80 }} status={isTime(w.from) ? undefined : 'error'} onChange={(e) => change(i, { ...w, from: e.target.value })} />
            –
            <Input value={w.to} style={{ width: 80 }} status={isTime(w.to) ? undefined : 'error'} onChange={(e) => change(i, { ...w, to: e.target.value })} />
            <Button icon={<DeleteOutlined />} onClick={() => onChange(windows.filter((_, j) => j !== i))} aria-label={t('common.delete')} />
          </Space>
          {!(isTime(w.from) && isTime(w.to)) && <Typography.Text type="danger">{t('voice.flow.f.timeFormat')}</Typography.Text>}
        </Space>
      ))}
      <Button size="small" icon={<PlusOutlined />} onClick={() => onChange([...windows, { days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }])}>
        {t('voice.flow.f.addWindow')}
      </Button>
    </Space>
  );
}
