// Scorecards (质检评分表) for admins: the list with versions and retiring, and an editor of
// sections and items whose weights are summed live (the server refuses anything but 100).
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Checkbox, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { qualityApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { Scorecard, ScorecardInput, ScorecardItem } from '../api/types';
import { useT } from '../i18n';
import { useLoad } from '../util/useLoad';
import { blankCard, blankItem, blankSection, TOTAL_WEIGHT, totalWeight } from './model';

export default function Scorecards() {
  const t = useT();
  const { message } = AntApp.useApp();
  const cards = useLoad(() => qualityApi.scorecards(), [] as Scorecard[]);
  const [editing, setEditing] = useState<{ id: string | null; card: ScorecardInput } | null>(null);

  const toggle = async (c: Scorecard) => {
    try {
      await qualityApi.setActive(c.id, !c.active);
      await cards.reload();
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card
        title={t('quality.scorecards')}
        extra={<Button type="primary" data-testid="scorecard-new" onClick={() => setEditing({ id: null, card: blankCard() })}>{t('quality.newScorecard')}</Button>}
      >
        <Table<Scorecard>
          size="small"
          rowKey="id"
          pagination={false}
          loading={cards.loading}
          dataSource={cards.data}
          columns={[
            { title: t('quality.name'), dataIndex: 'name' },
            { title: t('quality.version'), dataIndex: 'version', width: 80 },
            {
              title: t('quality.state'),
              width: 120,
              render: (_, c) => (c.active ? <Tag color="green">{t('quality.active')}</Tag> : <Tag>{t('quality.retired')}</Tag>),
            },
            {
              title: t('common.actions'),
              width: 200,
              render: (_, c) => (
                <Space>
                  <Button size="small" onClick={() => setEditing({ id: c.id, card: { name: c.name, sections: c.sections } })}>{t('common.edit')}</Button>
                  <Button size="small" onClick={() => void toggle(c)}>{c.active ? t('quality.retire') : t('quality.activate')}</Button>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {editing && (
        <Editor
          key={editing.id ?? 'new'}
          id={editing.id}
          initial={editing.card}
          onDone={() => {
            setEditing(null);
            void cards.reload();
          }}
        />
      )}
    </Space>
  );
}

function Editor({ id, initial, onDone }: { id: string | null; initial: ScorecardInput; onDone: () => void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [card, setCard] = useState<ScorecardInput>(initial);
  const [busy, setBusy] = useState(false);
  const total = totalWeight(card);

  const setItem = (s: number, i: number, patch: Partial<ScorecardItem>) =>
    setCard((c) => ({
      ...c,
      sections: c.sections.map((sec, si) => (si !== s ? sec : { ...sec, items: sec.items.map((it, ii) => (ii === i ? { ...it, ...patch } : it)) })),
    }));
  const setSection = (s: number, f: (items: ScorecardItem[]) => ScorecardItem[], name?: string) =>
    setCard((c) => ({
      ...c,
      sections: c.sections.map((sec, si) => (si !== s ? sec : { name: name ?? sec.name, items: f(sec.items) })),
    }));

  const save = async () => {
    setBusy(true);
    try {
      if (id) await qualityApi.updateScorecard(id, card);
      else await qualityApi.createScorecard(card);
      message.success(t('common.saved'));
      onDone();
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={id ? t('quality.editScorecard') : t('quality.newScorecard')} data-testid="scorecard-editor">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Input placeholder={t('quality.name')} value={card.name} maxLength={60} data-testid="scorecard-name" onChange={(e) => setCard({ ...card, name: e.target.value })} />
        {card.sections.map((sec, s) => (
          <Card
            key={s}
            size="small"
            title={<Input placeholder={t('quality.sectionName')} value={sec.name} data-testid={`section-name-${s}`} onChange={(e) => setSection(s, (x) => x, e.target.value)} />}
            extra={card.sections.length > 1 && <Button size="small" danger onClick={() => setCard({ ...card, sections: card.sections.filter((_, si) => si !== s) })}>{t('common.delete')}</Button>}
          >
            {sec.items.map((it, i) => (
              <Space key={i} wrap style={{ marginBottom: 8 }} data-testid={`item-${s}-${i}`}>
                <Input placeholder={t('quality.itemLabel')} value={it.label} style={{ width: 180 }} data-testid={`item-label-${s}-${i}`} onChange={(e) => setItem(s, i, { label: e.target.value })} />
                <Input placeholder={t('quality.itemDescription')} value={it.description} style={{ width: 220 }} onChange={(e) => setItem(s, i, { description: e.target.value })} />
                <InputNumber addonBefore={t('quality.weight')} min={1} max={100} value={it.weight} data-testid={`item-weight-${s}-${i}`} onChange={(v) => setItem(s, i, { weight: Number(v) || 0 })} />
                <Select
                  value={it.scale}
                  style={{ width: 110 }}
                  data-testid={`item-scale-${s}-${i}`}
                  options={[{ value: 'yes_no', label: t('quality.yesNo') }, { value: 'points', label: t('quality.points') }]}
                  onChange={(v) => setItem(s, i, { scale: v, max_points: v === 'points' ? 5 : 1 })}
                />
                {it.scale === 'points' && <InputNumber addonBefore={t('quality.maxPoints')} min={1} max={10} value={it.max_points ?? 5} onChange={(v) => setItem(s, i, { max_points: Number(v) || 1 })} />}
                <Checkbox checked={it.critical} data-testid={`item-critical-${s}-${i}`} onChange={(e) => setItem(s, i, { critical: e.target.checked })}>{t('quality.critical')}</Checkbox>
                <Checkbox checked={it.comment_on_low} onChange={(e) => setItem(s, i, { comment_on_low: e.target.checked })}>{t('quality.commentOnLow')}</Checkbox>
                {sec.items.length > 1 && <Button size="small" onClick={() => setSection(s, (items) => items.filter((_, ii) => ii !== i))}>{t('common.delete')}</Button>}
              </Space>
            ))}
            <Button size="small" data-testid={`item-add-${s}`} onClick={() => setSection(s, (items) => [...items, blankItem()])}>{t('quality.addItem')}</Button>
          </Card>
        ))}
        <Button data-testid="section-add" onClick={() => setCard({ ...card, sections: [...card.sections, blankSection()] })}>{t('quality.addSection')}</Button>
        <Typography.Text strong type={total === TOTAL_WEIGHT ? 'success' : 'danger'} data-testid="weight-total">
          {t('quality.weightTotal', { total, target: TOTAL_WEIGHT })}
        </Typography.Text>
        {total !== TOTAL_WEIGHT && <Alert type="warning" showIcon message={t('quality.weightHint')} />}
        <Space>
          <Button type="primary" loading={busy} data-testid="scorecard-save" onClick={() => void save()}>{t('common.save')}</Button>
          <Button onClick={onDone}>{t('common.cancel')}</Button>
        </Space>
      </Space>
    </Card>
  );
}
