// 编辑语音导航: a flow as a graph beside the form of the selected node. Nodes are added,
// deleted and made the start here; saving sends the whole definition, and a refusal is shown
// at the node and field it names.
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { Alert, App as AntApp, Button, Card, Col, Empty, Input, Popconfirm, Row, Select, Space, Spin, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, DeleteOutlined, FlagOutlined, SaveOutlined } from '@ant-design/icons';
import { queuesApi, voiceApi } from '../../../api/endpoints';
import { ApiError } from '../../../api/client';
import { errorText } from '../../../api/errors';
import type { BuiltinPrompt, IvrFlow, Queue, UploadedPrompt } from '../../../api/types';
import { useT } from '../../../i18n';
import { useLoad } from '../../../util/useLoad';
import FlowGraph from './FlowGraph';
import NodeForm, { type NodeFormContext } from './NodeForm';
import { addNode, emptyFlow, errorAt, flowErrorKey, NODE_TYPES, problems, removeNode, withNode, type FlowDef, type NodeType } from './model';

/** A refusal from the server, at a node and field. */
interface Refusal {
  node: string;
  field: string;
  text: string;
}

export default function FlowEditor() {
  const t = useT();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const { id = 'new' } = useParams();
  const isNew = id === 'new';
  const [name, setName] = useState('');
  const [def, setDef] = useState<FlowDef | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [saving, setSaving] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const queues = useLoad<Queue[]>(() => queuesApi.list(), []);
  const flows = useLoad<IvrFlow[]>(() => voiceApi.flows(), []);
  const uploaded = useLoad<UploadedPrompt[]>(() => voiceApi.prompts(), []);
  const builtin = useLoad<BuiltinPrompt[]>(() => voiceApi.builtinPrompts(), []);

  useEffect(() => {
    if (isNew) {
      setName('');
      setDef(emptyFlow({ menu: t('voice.flow.defaultMenu'), hangup: t('voice.flow.defaultHangup') }));
      setSelected('menu');
      return;
    }
    voiceApi
      .flow(id)
      .then((f) => {
        setName(f.name);
        setDef(f.definition);
        setSelected(f.definition.start);
      })
      .catch(setLoadError);
    // The labels of a new flow are set once, in the language of the moment.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, isNew]);

  const ctx: NodeFormContext | null = useMemo(
    () =>
      def && {
        def,
        voiceQueues: queues.data.filter((q) => q.channel === 'voice').map((q) => ({ value: q.id, label: q.name })),
        taskQueues: queues.data.filter((q) => q.channel === 'task').map((q) => ({ value: q.id, label: q.name })),
        flows: flows.data.filter((f) => f.id !== id).map((f) => ({ value: f.id, label: f.name })),
        prompts: {
          builtin: builtin.data.map((p) => ({ value: p.prompt, label: p.prompt })),
          uploaded: uploaded.data.map((p) => ({ value: p.prompt, label: p.name })),
        },
      },
    [def, queues.data, flows.data, builtin.data, uploaded.data, id],
  );

  const found = useMemo(() => (def ? problems(def) : []), [def]);
  const flagged = useMemo(() => new Set([...found.map((p) => p.node), ...(refusal ? [refusal.node] : [])]), [found, refusal]);
  const errorsOf = (node: string): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const p of found.filter((x) => x.node === node)) out[p.field] = t(`voice.flow.problem.${p.what}`);
    if (refusal?.node === node) out[refusal.field || 'label'] = refusal.text;
    return out;
  };

  if (loadError) return <Alert type="error" showIcon message={errorText(loadError, t)} />;
  if (!def || !ctx) return <Spin />;

  const change = (next: FlowDef) => {
    setDef(next);
    setRefusal(null);
  };
  const add = (type: NodeType) => {
    const added = addNode(def, type, t(`voice.flow.type.${type}`));
    change(added.def);
    setSelected(added.id);
  };

  const save = async () => {
    if (!name.trim()) {
      message.error(t('voice.flow.nameRequired'));
      return;
    }
    if (found.length > 0) {
      message.error(t('voice.flow.problems', { n: found.length }));
      setSelected(found[0].node);
      return;
    }
    setSaving(true);
    try {
      const saved = isNew ? await voiceApi.createFlow(name.trim(), def) : await voiceApi.updateFlow(id, name.trim(), def);
      message.success(t('voice.flow.saved'));
      if (isNew) navigate(`/admin/voice/flows/${saved.id}`, { replace: true });
      void flows.reload();
    } catch (err) {
      const place = err instanceof ApiError ? errorAt(err.field) : null;
      if (err instanceof ApiError && place && place.node in def.nodes) {
        const detail = t.lang === 'en' ? err.message : t(flowErrorKey(err.message) as 'voice.flow.err.invalid');
        setRefusal({ ...place, text: detail });
        setSelected(place.node);
        message.error(t('voice.flow.err.at', { node: def.nodes[place.node].label || place.node, detail }));
      } else {
        message.error(errorText(err, t));
      }
    } finally {
      setSaving(false);
    }
  };

  const node = selected ? def.nodes[selected] : undefined;
  return (
    <Card
      title={
        <Space wrap>
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/admin/voice/flows')} aria-label={t('voice.flow.back')} />
          <span>{t(isNew ? 'voice.flow.new' : 'voice.flow.edit')}</span>
          <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={64} placeholder={t('voice.flow.name')} style={{ width: 240 }} data-testid="flow-name" />
        </Space>
      }
      extra={
        <Button type="primary" icon={<SaveOutlined />} loading={saving} onClick={() => void save()} data-testid="flow-save">
          {t('voice.flow.save')}
        </Button>
      }
    >
      {refusal && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={t('voice.flow.err.at', { node: def.nodes[refusal.node]?.label || refusal.node, detail: refusal.text })} />}
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Card
            size="small"
            title={t('voice.flow.graph')}
            extra={
              <Select<NodeType>
                value={null}
                placeholder={t('voice.flow.addNode')}
                style={{ width: 160 }}
                onChange={add}
                options={NODE_TYPES.map((k) => ({ value: k, label: t(`voice.flow.type.${k}`) }))}
                data-testid="flow-add-node"
              />
            }
          >
            <div style={{ overflow: 'auto', maxHeight: 560 }}>
              <FlowGraph def={def} selected={selected} flagged={flagged} onSelect={setSelected} />
            </div>
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card
            size="small"
            title={
              node ? (
                <Space>
                  <Tag>{t(`voice.flow.type.${node.type}`)}</Tag>
                  <Typography.Text type="secondary">
                    {t('voice.flow.nodeId')}: {selected}
                  </Typography.Text>
                  {selected === def.start && <Tag color="blue">{t('voice.flow.start')}</Tag>}
                </Space>
              ) : null
            }
            extra={
              node &&
              selected && (
                <Space size={0}>
                  {selected !== def.start && (
                    <Button type="link" size="small" icon={<FlagOutlined />} onClick={() => change({ ...def, start: selected })} data-testid="node-set-start">
                      {t('voice.flow.setStart')}
                    </Button>
                  )}
                  {Object.keys(def.nodes).length > 1 && (
                    <Popconfirm
                      title={t('voice.flow.confirmDeleteNode', { label: node.label || selected })}
                      onConfirm={() => {
                        change(removeNode(def, selected));
                        setSelected(null);
                      }}
                      okText={t('common.ok')}
                      cancelText={t('common.cancel')}
                    >
                      <Button type="link" size="small" danger icon={<DeleteOutlined />} data-testid="node-delete">
                        {t('voice.flow.deleteNode')}
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              )
            }
          >
            {node && selected ? (
              <NodeForm key={selected} id={selected} node={node} ctx={ctx} errors={errorsOf(selected)} onChange={(n) => change(withNode(def, selected, n))} />
            ) : (
              <Empty description={t('voice.flow.noneSelected')} />
            )}
          </Card>
        </Col>
      </Row>
    </Card>
  );
}
