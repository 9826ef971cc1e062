// 外呼规则: the toll-fraud guard's destination rules — which numbers agents may call, by prefix and
// length, allowed or denied — and the most outbound calls an agent may place a day. Before a first
// save the page shows the built-in defaults (domestic numbers only).
import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Input, InputNumber, Select, Space, Switch, Table, Tooltip, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { voiceApi } from '../../api/endpoints';
import { errorText } from '../../api/errors';
import type { DestinationRule, OutboundPolicy } from '../../api/types';
import { useT } from '../../i18n';
import { useLoad } from '../../util/useLoad';
import { MAX_RULES, blankRule, moveRule, policyBody, ruleProblem } from './outbound';

/** A rule in the table, with a key that survives moves. */
interface Row extends DestinationRule {
  key: number;
}

let nextKey = 1;
const keyed = (r: DestinationRule): Row => ({ ...r, key: nextKey++ });

export default function OutboundRulesPage() {
  const t = useT();
  const { message } = AntApp.useApp();
  const policy = useLoad<OutboundPolicy | null>(() => voiceApi.outboundPolicy(), null);
  const [rows, setRows] = useState<Row[]>([]);
  const [limitOn, setLimitOn] = useState(true);
  const [limit, setLimit] = useState<number | null>(200);
  const [saving, setSaving] = useState(false);

  // The form starts from what the server holds, again after each load or save.
  useEffect(() => {
    if (!policy.data) return;
    setRows(policy.data.rules.map(keyed));
    setLimitOn(policy.data.daily_limit !== null);
    setLimit(policy.data.daily_limit ?? 200);
  }, [policy.data]);

  const change = (i: number, patch: Partial<DestinationRule>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const problems = rows.map(ruleProblem);
  const limitBad = limitOn && (limit === null || limit < 1 || limit > 10000);
  const invalid = problems.some((p) => p !== null) || rows.length > MAX_RULES || limitBad;

  const save = async () => {
    setSaving(true);
    try {
      const saved = await voiceApi.setOutboundPolicy(policyBody(rows, limitOn, limit));
      policy.setData(saved);
      message.success(t('common.saved'));
    } catch (err) {
      message.error(errorText(err, t));
    } finally {
      setSaving(false);
    }
  };

  const problemText = (p: ReturnType<typeof ruleProblem>) =>
    p === 'prefix' ? t('voice.rules.prefixBad') : p === 'digits' ? t('voice.rules.digitsBad') : p === 'label' ? t('voice.rules.labelBad') : null;

  return (
    <Card
      title={t('voice.rules.title')}
      extra={<Button icon={<ReloadOutlined />} onClick={() => void policy.reload()} aria-label={t('common.refresh')} />}
    >
      <Typography.Paragraph type="secondary">{t('voice.rules.intro')}</Typography.Paragraph>
      {policy.error != null && <Alert type="error" showIcon message={errorText(policy.error, t)} style={{ marginBottom: 16 }} />}
      {policy.data?.saved === false && <Alert type="info" showIcon message={t('voice.rules.defaults')} style={{ marginBottom: 16 }} data-testid="rules-defaults" />}
      {!policy.loading && rows.length === 0 && <Alert type="warning" showIcon message={t('voice.rules.empty')} style={{ marginBottom: 16 }} />}
      <Table<Row>
        rowKey="key"
        loading={policy.loading}
        dataSource={rows}
        data-testid="rules-table"
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('voice.rules.prefix'),
            key: 'prefix',
            render: (_, r, i) => (
              <Input
                value={r.prefix}
                status={problems[i] === 'prefix' ? 'error' : undefined}
                onChange={(e) => change(i, { prefix: e.target.value })}
                inputMode="tel"
                maxLength={16}
                style={{ width: 130 }}
                aria-label={t('voice.rules.prefix')}
                data-testid={`rule-prefix-${i}`}
              />
            ),
          },
          {
            title: t('voice.rules.digits'),
            key: 'digits',
            render: (_, r, i) => (
              <Space size={4}>
                <InputNumber min={1} max={20} value={r.min_digits} status={problems[i] === 'digits' ? 'error' : undefined} onChange={(v) => change(i, { min_digits: v ?? 0 })} style={{ width: 70 }} data-testid={`rule-min-${i}`} />
                <span>–</span>
                <InputNumber min={1} max={20} value={r.max_digits} status={problems[i] === 'digits' ? 'error' : undefined} onChange={(v) => change(i, { max_digits: v ?? 0 })} style={{ width: 70 }} data-testid={`rule-max-${i}`} />
              </Space>
            ),
          },
          {
            title: t('voice.rules.action'),
            key: 'allow',
            render: (_, r, i) => (
              <Select
                value={r.allow}
                onChange={(v) => change(i, { allow: v })}
                style={{ width: 100 }}
                data-testid={`rule-allow-${i}`}
                options={[
                  { value: true, label: t('voice.rules.allow') },
                  { value: false, label: t('voice.rules.deny') },
                ]}
              />
            ),
          },
          {
            title: t('voice.rules.label'),
            key: 'label',
            render: (_, r, i) => (
              <Space direction="vertical" size={0}>
                <Input value={r.label} status={problems[i] === 'label' ? 'error' : undefined} onChange={(e) => change(i, { label: e.target.value })} style={{ width: 200 }} aria-label={t('voice.rules.label')} data-testid={`rule-label-${i}`} />
                {problems[i] !== null && <Typography.Text type="danger" data-testid={`rule-problem-${i}`}>{problemText(problems[i])}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, _r, i) => (
              <Space size={0}>
                <Tooltip title={t('voice.rules.up')}>
                  <Button type="link" size="small" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => setRows((rs) => moveRule(rs, i, -1))} aria-label={t('voice.rules.up')} data-testid={`rule-up-${i}`} />
                </Tooltip>
                <Tooltip title={t('voice.rules.down')}>
                  <Button type="link" size="small" icon={<ArrowDownOutlined />} disabled={i === rows.length - 1} onClick={() => setRows((rs) => moveRule(rs, i, 1))} aria-label={t('voice.rules.down')} data-testid={`rule-down-${i}`} />
                </Tooltip>
                <Tooltip title={t('common.delete')}>
                  <Button type="link" size="small" danger icon={<DeleteOutlined />} onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))} aria-label={t('common.delete')} data-testid={`rule-delete-${i}`} />
                </Tooltip>
              </Space>
            ),
          },
        ]}
      />
      <Space direction="vertical" style={{ marginTop: 16, width: '100%' }}>
        <Button icon={<PlusOutlined />} disabled={rows.length >= MAX_RULES} onClick={() => setRows((rs) => [...rs, keyed(blankRule())])} data-testid="rules-add">
          {t('voice.rules.add')}
        </Button>
        {rows.length > MAX_RULES && <Typography.Text type="danger">{t('voice.rules.tooMany')}</Typography.Text>}
        <Space wrap align="center">
          <Switch checked={limitOn} onChange={setLimitOn} data-testid="rules-limit-on" />
          <span>{t('voice.rules.limitOn')}</span>
          {limitOn && (
            <InputNumber
              min={1}
              max={10000}
              value={limit}
              status={limitBad ? 'error' : undefined}
              onChange={(v) => setLimit(v)}
              addonAfter={t('voice.rules.times')}
              aria-label={t('voice.rules.dailyLimit')}
              data-testid="rules-limit"
            />
          )}
          <Typography.Text type="secondary">{t('voice.rules.limitHelp')}</Typography.Text>
        </Space>
        <Button type="primary" loading={saving} disabled={invalid || policy.data === null} onClick={() => void save()} data-testid="rules-save">
          {t('common.save')}
        </Button>
      </Space>
    </Card>
  );
}
