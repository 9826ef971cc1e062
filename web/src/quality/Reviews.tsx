// The reviewer's page (质检): find closed contacts by filters or draw a random sample per agent
// per week, start a review with a scorecard, and the list of reviews by status.
import { useState } from 'react';
import { App as AntApp, Button, Card, Checkbox, Input, InputNumber, Select, Space, Spin, Table, Tabs, Tag } from 'antd';
import { useNavigate } from 'react-router-dom';
import { qualityApi, queuesApi, usersApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { QualityReview, ReviewPick } from '../api/types';
import { useT } from '../i18n';
import { addDays } from '../util/days';
import { useLoad } from '../util/useLoad';
import { useTenantToday } from '../util/useTenantToday';
import { query } from './model';


export default function Reviews() {
  const t = useT();
  return (
    <Tabs
      items={[
        { key: 'pick', label: t('quality.pickContacts'), children: <PickerOfToday /> },
        { key: 'reviews', label: t('quality.reviewList'), children: <ReviewList /> },
      ]}
    />
  );
}

/** The picker once the tenant's today is known: its range defaults to the tenant's last week. */
function PickerOfToday() {
  const today = useTenantToday();
  return today ? <Picker today={today} /> : <Spin />;
}

function Picker({ today }: { today: string }) {
  const t = useT();
  const nav = useNavigate();
  const { message } = AntApp.useApp();
  const cards = useLoad(() => qualityApi.scorecards(), []);
  const queues = useLoad(() => queuesApi.list().catch(() => []), []);
  const people = useLoad(() => usersApi.directory().catch(() => []), []);
  const [f, setF] = useState({ from: addDays(today, -7), to: today, queue_id: '', agent_id: '', channel: '', min_duration_s: 0, unreviewed: true });
  const [perAgent, setPerAgent] = useState(2);
  const [seed, setSeed] = useState('');
  const [card, setCard] = useState<string>();
  const [rows, setRows] = useState<ReviewPick[]>([]);
  const [busy, setBusy] = useState(false);
  const active = cards.data.filter((c) => c.active);
  const chosen = card ?? active[0]?.id;

  const run = async (what: () => Promise<ReviewPick[]>) => {
    setBusy(true);
    try {
      setRows(await what());
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };
  const search = () => run(() => qualityApi.contacts(query({ ...f, min_duration_s: f.min_duration_s || undefined })));
  const draw = () =>
    run(async () => {
      const s = await qualityApi.draw({
        from: f.from, to: f.to, per_agent: perAgent, seed: seed ? Number(seed) : undefined,
        queue_id: f.queue_id || undefined, channel: f.channel || undefined, min_duration_s: f.min_duration_s || undefined,
      });
      setSeed(String(s.seed));
      return s.contacts;
    });
  const start = async (contact: string) => {
    if (!chosen) return message.warning(t('quality.noScorecard'));
    try {
      const r = await qualityApi.start(contact, chosen);
      nav(`/quality/reviews/${r.id}`);
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap>
          <Input type="date" value={f.from} data-testid="pick-from" onChange={(e) => setF({ ...f, from: e.target.value })} />
          <Input type="date" value={f.to} data-testid="pick-to" onChange={(e) => setF({ ...f, to: e.target.value })} />
          <Select allowClear placeholder={t('quality.queue')} style={{ width: 180 }} value={f.queue_id || undefined}
            options={queues.data.map((q) => ({ value: q.id, label: q.name }))} onChange={(v) => setF({ ...f, queue_id: v ?? '' })} />
          <Select allowClear placeholder={t('quality.agent')} style={{ width: 160 }} value={f.agent_id || undefined}
            options={people.data.map((u) => ({ value: u.id, label: u.display_name }))} onChange={(v) => setF({ ...f, agent_id: v ?? '' })} />
          <Select allowClear placeholder={t('quality.channel')} style={{ width: 120 }} value={f.channel || undefined}
            options={['voice', 'chat', 'task', 'video'].map((c) => ({ value: c, label: t(`quality.channel.${c}` as 'quality.channel.voice') }))}
            onChange={(v) => setF({ ...f, channel: v ?? '' })} />
          <InputNumber addonBefore={t('quality.minDuration')} min={0} value={f.min_duration_s} onChange={(v) => setF({ ...f, min_duration_s: Number(v) || 0 })} />
          <Checkbox checked={f.unreviewed} onChange={(e) => setF({ ...f, unreviewed: e.target.checked })}>{t('quality.unreviewedOnly')}</Checkbox>
          <Button type="primary" loading={busy} data-testid="pick-search" onClick={() => void search()}>{t('quality.search')}</Button>
        </Space>
        <Space wrap style={{ marginTop: 8 }}>
          <InputNumber addonBefore={t('quality.perAgentWeek')} min={1} max={50} value={perAgent} onChange={(v) => setPerAgent(Number(v) || 1)} />
          <Input placeholder={t('quality.seed')} value={seed} style={{ width: 200 }} onChange={(e) => setSeed(e.target.value.replace(/\D/g, ''))} />
          <Button loading={busy} data-testid="pick-draw" onClick={() => void draw()}>{t('quality.draw')}</Button>
          <Select placeholder={t('quality.scorecard')} style={{ width: 220 }} value={chosen} data-testid="pick-scorecard"
            options={active.map((c) => ({ value: c.id, label: c.name }))} onChange={setCard} />
        </Space>
      </Card>
      <Table<ReviewPick>
        size="small"
        rowKey="contact_id"
        dataSource={rows}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t('quality.closedAt'), dataIndex: 'closed_at', render: (v: string) => new Date(v).toLocaleString() },
          { title: t('quality.channel'), dataIndex: 'channel', render: (c: string) => t(`quality.channel.${c}` as 'quality.channel.voice') },
          { title: t('quality.queue'), dataIndex: 'queue_name' },
          { title: t('quality.agent'), dataIndex: 'agent_name' },
          { title: t('quality.subject'), render: (_, r) => r.title ?? r.customer ?? '' },
          { title: t('quality.duration'), dataIndex: 'duration_s', render: (s: number) => `${s}s` },
          {
            title: t('common.actions'),
            render: (_, r) =>
              r.review_id ? (
                <Button size="small" onClick={() => nav(`/quality/reviews/${r.review_id}`)}>{t(`quality.status.${r.review_status}` as 'quality.status.draft')}</Button>
              ) : (
                <Button size="small" type="primary" data-testid={`review-start-${r.contact_id}`} onClick={() => void start(r.contact_id)}>{t('quality.score')}</Button>
              ),
          },
        ]}
      />
    </Space>
  );
}

function ReviewList() {
  const t = useT();
  const nav = useNavigate();
  const [status, setStatus] = useState('');
  const list = useLoad(() => qualityApi.reviews(query({ status })), [] as QualityReview[]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Select allowClear placeholder={t('quality.state')} style={{ width: 160 }} value={status || undefined} data-testid="reviews-status"
          options={['draft', 'submitted', 'acknowledged', 'disputed', 'resolved'].map((s) => ({ value: s, label: t(`quality.status.${s}` as 'quality.status.draft') }))}
          onChange={(v) => setStatus(v ?? '')} />
        <Button onClick={() => void list.reload()}>{t('common.refresh')}</Button>
      </Space>
      <ReviewTable rows={status ? list.data.filter((r) => r.status === status) : list.data} loading={list.loading} onOpen={(id) => nav(`/quality/reviews/${id}`)} />
    </Space>
  );
}

export function ReviewTable({ rows, loading, onOpen }: { rows: QualityReview[]; loading?: boolean; onOpen: (id: string) => void }) {
  const t = useT();
  return (
    <Table<QualityReview>
      size="small"
      rowKey="id"
      loading={loading}
      dataSource={rows}
      pagination={{ pageSize: 20 }}
      columns={[
        { title: t('quality.closedAt'), dataIndex: 'contact_at', render: (v: string) => new Date(v).toLocaleString() },
        { title: t('quality.agent'), dataIndex: 'agent_name' },
        { title: t('quality.scorecard'), dataIndex: 'scorecard_name' },
        { title: t('quality.reviewer'), dataIndex: 'reviewer_name' },
        {
          title: t('quality.scoreTitle'),
          render: (_, r) => (r.score == null ? '—' : <span data-testid={`score-${r.id}`}>{r.score}{r.failed_critical && <Tag color="red" style={{ marginLeft: 4 }}>{t('quality.failedCritical')}</Tag>}</span>),
        },
        { title: t('quality.state'), dataIndex: 'status', render: (s: string) => <Tag data-testid="review-status">{t(`quality.status.${s}` as 'quality.status.draft')}</Tag> },
        { title: t('common.actions'), render: (_, r) => <Button size="small" data-testid={`review-open-${r.id}`} onClick={() => onOpen(r.id)}>{t('quality.open')}</Button> },
      ]}
    />
  );
}
