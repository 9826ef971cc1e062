// One ticket type: basics, fields, workflow and automation rules, edited as a draft and saved whole
// (`PUT /ticket-types/{id}` with the version it was read at). 409 `stale`: someone else saved in
// between (offer a reload); 400 with `field`: the tab and row it names are marked.
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Alert, App as AntApp, Badge, Button, Card, Col, Form, Input, Result, Row, Space, Spin, Switch, Tabs, Tag, Typography,
} from 'antd';
import { ArrowLeftOutlined, ReloadOutlined, SaveOutlined, UndoOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { queuesApi } from '../../api/endpoints';
import { errorText } from '../../api/errors';
import type { Queue } from '../../api/types';
import { useT } from '../../i18n';
import { useLoad } from '../../util/useLoad';
import { ticketConfigApi, typeInput } from './api';
import {
  cleanAction, cleanField, definitionKey, definitionProblems, locateServerField, partOf, type Part, type Problem,
} from './definition';
import { cleanRule } from './rules';
import type { TicketType } from '../../tickets/types';
import FieldsTab from './FieldsTab';
import WorkflowTab from './WorkflowTab';
import RulesTab from './RulesTab';
import type { Marks, TabProps } from './tabProps';
import './ticketAdmin.css';

export default function TicketTypeEditPage() {
  const { id = '' } = useParams();
  const t = useT();
  const navigate = useNavigate();
  const { message, modal } = AntApp.useApp();
  const queues = useLoad<Queue[]>(() => queuesApi.list().catch(() => []), []);
  const [loaded, setLoaded] = useState<TicketType | null>(null);
  const [draft, setDraft] = useState<TicketType | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [saving, setSaving] = useState(false);
  const [tab, setTab] = useState<Part>('fields');
  const [showProblems, setShowProblems] = useState(false);
  const [serverError, setServerError] = useState<{ text: string; refs: string[] } | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const tt = await ticketConfigApi.type(id);
      setLoaded(tt);
      setDraft(tt);
      setLoadError(null);
      setServerError(null);
      setShowProblems(false);
    } catch (e) {
      setLoadError(e);
    } finally {
      setLoading(false);
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  const dirty = !!(draft && loaded && definitionKey(draft) !== definitionKey(loaded));

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const problems = useMemo<Problem[]>(() => (draft ? definitionProblems(draft) : []), [draft]);

  const marks = useMemo<Marks>(() => {
    const m: Marks = new Map();
    const add = (ref: string, text: string) => m.set(ref, [...(m.get(ref) ?? []), text]);
    if (showProblems) for (const p of problems) add(p.ref, t(p.key, p.vars));
    if (serverError) for (const r of serverError.refs) add(r, serverError.text);
    return m;
  }, [problems, showProblems, serverError, t]);

  const countIn = (part: Part) => [...marks.keys()].filter((r) => partOf(r) === part).length;

  const change = (next: TicketType) => {
    setDraft(next);
    setServerError(null);
  };

  const goBack = () => {
    if (!dirty) return navigate('/admin/ticket-types');
    modal.confirm({
      title: t('tkcfg.edit.leaveTitle'),
      content: t('tkcfg.edit.leave'),
      okText: t('tkcfg.edit.leaveOk'),
      cancelText: t('common.cancel'),
      onOk: () => navigate('/admin/ticket-types'),
    });
  };

  const reloadFromServer = () => {
    if (!dirty) return void load();
    modal.confirm({
      title: t('tkcfg.edit.discardTitle'),
      content: t('tkcfg.edit.discard'),
      okText: t('tkcfg.edit.discardOk'),
      cancelText: t('common.cancel'),
      onOk: () => load(),
    });
  };

  const save = async () => {
    if (!draft) return;
    if (problems.length) {
      setShowProblems(true);
      setTab(partOf(problems[0].ref));
      message.error(t('tkcfg.edit.fixFirst', { n: problems.length }));
      return;
    }
    setSaving(true);
    try {
      const body = typeInput({
        ...draft,
        name: draft.name.trim(),
        description: (draft.description ?? '').trim(),
        fields: draft.fields.map(cleanField),
        workflow: { ...draft.workflow, actions: draft.workflow.actions.map(cleanAction) },
        rules: draft.rules.map(cleanRule),
      });
      const saved = await ticketConfigApi.saveType(draft.id, body);
      setLoaded(saved);
      setDraft(saved);
      setServerError(null);
      setShowProblems(false);
      message.success(t('tkcfg.edit.saved', { version: saved.version }));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'stale') {
        modal.confirm({
          title: t('tkcfg.edit.staleTitle'),
          content: <span data-testid="type-stale">{t('tkcfg.edit.stale')}</span>,
          okText: t('tkcfg.edit.staleReload'),
          cancelText: t('tkcfg.edit.staleKeep'),
          onOk: () => load(),
        });
      } else if (e instanceof ApiError && e.field) {
        const refs = e.code === 'conflict' && e.field === 'name' ? ['basics:name'] : locateServerField(draft, e.field);
        const text = errorText(e, t);
        setServerError({ text, refs });
        if (refs.length) setTab(partOf(refs[0]));
        message.error(text);
      } else {
        message.error(errorText(e, t));
      }
    } finally {
      setSaving(false);
    }
  };

  if (loading && !draft) {
    return <Card><Spin style={{ display: 'block', margin: '48px auto' }} /></Card>;
  }
  if (!draft) {
    return (
      <Result
        status={loadError instanceof ApiError && loadError.status === 404 ? '404' : 'error'}
        title={errorText(loadError, t)}
        extra={
          <Space>
            <Button onClick={() => navigate('/admin/ticket-types')}>{t('common.back')}</Button>
            <Button type="primary" onClick={() => void load()}>{t('common.refresh')}</Button>
          </Space>
        }
      />
    );
  }

  const tabProps: TabProps = { draft, onChange: change, marks, queues: queues.data };
  const tabLabel = (part: Part, text: string) => {
    const n = countIn(part);
    return (
      <span data-testid={`type-tab-${part}`}>
        {text}
        {n > 0 && <Badge count={n} size="small" style={{ marginInlineStart: 6 }} />}
      </span>
    );
  };

  const generalRefs = serverError && serverError.refs.length === 0;

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card size="small" className="tkcfg-edit-head">
        <div className="tkcfg-edit-bar">
          <Space wrap>
            <Button icon={<ArrowLeftOutlined />} onClick={goBack} data-testid="type-back">{t('common.back')}</Button>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="type-edit-title">
              {loaded?.name ?? draft.name}
            </Typography.Title>
            {!draft.active && <Tag>{t('tkcfg.type.inactive')}</Tag>}
            <Tag color="default">{t('tkcfg.type.version')} {loaded?.version}</Tag>
            {dirty && <Tag color="orange" data-testid="type-dirty">{t('tkcfg.edit.unsaved')}</Tag>}
          </Space>
          <Space wrap>
            <Button icon={<ReloadOutlined />} onClick={reloadFromServer} disabled={saving} data-testid="type-reload">
              {t('tkcfg.edit.reload')}
            </Button>
            <Button icon={<UndoOutlined />} onClick={() => loaded && change(loaded)} disabled={!dirty || saving} data-testid="type-discard">
              {t('tkcfg.edit.undo')}
            </Button>
            <Button type="primary" icon={<SaveOutlined />} loading={saving} onClick={() => void save()} disabled={!dirty} data-testid="type-save">
              {t('common.save')}
            </Button>
          </Space>
        </div>
      </Card>

      {serverError && (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => setServerError(null)}
          message={t('tkcfg.edit.refused')}
          description={
            <span data-testid="type-server-error">
              {serverError.text}
              {generalRefs ? '' : ` (${serverError.refs.map((r) => r.replace(/^[a-z]+:/, '')).join(', ')})`}
            </span>
          }
        />
      )}
      {showProblems && problems.length > 0 && (
        <Alert
          type="warning"
          showIcon
          message={t('tkcfg.edit.problems', { n: problems.length })}
          description={
            <ul className="tkcfg-problems" data-testid="type-problems">
              {problems.slice(0, 12).map((p, i) => (
                <li key={i}>
                  <a onClick={() => setTab(partOf(p.ref))}>{t(`tkcfg.part.${partOf(p.ref)}`)}</a>
                  {p.ref.includes(':') && <Typography.Text code>{p.ref.replace(/^[a-z]+:/, '')}</Typography.Text>}
                  {t(p.key, p.vars)}
                </li>
              ))}
              {problems.length > 12 && <li>…</li>}
            </ul>
          }
        />
      )}

      <Card>
        <Tabs
          activeKey={tab}
          onChange={(k) => setTab(k as Part)}
          items={[
            { key: 'basics', label: tabLabel('basics', t('tkcfg.part.basics')), children: <BasicsTab {...tabProps} /> },
            { key: 'fields', label: tabLabel('fields', t('tkcfg.part.fields')), children: <FieldsTab {...tabProps} /> },
            { key: 'workflow', label: tabLabel('workflow', t('tkcfg.part.workflow')), children: <WorkflowTab {...tabProps} /> },
            { key: 'rules', label: tabLabel('rules', t('tkcfg.part.rules')), children: <RulesTab {...tabProps} /> },
          ]}
        />
      </Card>
    </Space>
  );
}

function BasicsTab({ draft, onChange, marks }: TabProps) {
  const t = useT();
  const err = (ref: string) => marks.get(ref);
  return (
    <Row>
      <Col xs={24} lg={14}>
        <Form layout="vertical">
          <Form.Item
            label={t('tkcfg.type.name')}
            required
            validateStatus={err('basics:name') ? 'error' : undefined}
            help={err('basics:name')?.join('; ')}
          >
            <Input value={draft.name} maxLength={64} onChange={(e) => onChange({ ...draft, name: e.target.value })} data-testid="type-name" />
          </Form.Item>
          <Form.Item
            label={t('tkcfg.type.description')}
            validateStatus={err('basics:description') ? 'error' : undefined}
            help={err('basics:description')?.join('; ')}
          >
            <Input.TextArea
              rows={3}
              maxLength={500}
              showCount
              value={draft.description ?? ''}
              onChange={(e) => onChange({ ...draft, description: e.target.value })}
              data-testid="type-description"
            />
          </Form.Item>
          <Form.Item label={t('tkcfg.type.active')} extra={t('tkcfg.type.activeHelp')}>
            <Switch checked={draft.active} onChange={(v) => onChange({ ...draft, active: v })} data-testid="type-active" />
          </Form.Item>
        </Form>
      </Col>
    </Row>
  );
}
