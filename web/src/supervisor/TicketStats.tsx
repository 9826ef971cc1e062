// The ticket management view (T10, `tickets.view_all`): tickets in, assigned, completed and the
// backlog over a date range, by type and by skill group, and created vs completed per day.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Card, Col, DatePicker, Row, Select, Space, Statistic, Table, Tooltip, Typography } from 'antd';
import { QuestionCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { queuesApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { Queue } from '../api/types';
import { useT, type MessageKey } from '../i18n';
import { useLoad } from '../util/useLoad';
import { ticketConfigApi } from '../admin/tickets/api';
import type { TicketType } from '../tickets/types';
import TicketDayChart from './TicketDayChart';
import { addDays, businessToday, defaultRange, fillDays, rangeProblem, ticketStatsApi, type StatCounts, type TicketStats } from './ticketStats';
import './ticketStats.css';

const TOTALS: { key: keyof StatCounts; color: string }[] = [
  { key: 'created', color: '#1677ff' },
  { key: 'assigned', color: '#722ed1' },
  { key: 'completed', color: '#52c41a' },
  { key: 'backlog', color: '#fa8c16' },
];

export default function TicketStatsPage() {
  const t = useT();
  const today = businessToday();
  const [range, setRange] = useState<[string, string]>(() => defaultRange(today));
  const [typeId, setTypeId] = useState<string | undefined>();
  const [groupId, setGroupId] = useState<string | undefined>();
  const [data, setData] = useState<TicketStats | null>(null);
  const [shownRange, setShownRange] = useState<[string, string]>(range);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [loadedAt, setLoadedAt] = useState<Dayjs | null>(null);
  const seq = useRef(0);
  // Names for ids: GET /ticket-types needs tickets.work; without it the tables show ids.
  const types = useLoad<TicketType[]>(() => ticketConfigApi.types().catch(() => []), []);
  const queues = useLoad<Queue[]>(() => queuesApi.list().catch(() => []), []);
  const problem = rangeProblem(range[0], range[1]);

  const load = useCallback(async () => {
    if (rangeProblem(range[0], range[1])) return;
    const n = ++seq.current;
    setLoading(true);
    try {
      const s = await ticketStatsApi.get({ from: range[0], to: range[1], typeId, groupId });
      if (n !== seq.current) return;
      setData(s);
      setShownRange(range);
      setError(null);
      setLoadedAt(dayjs());
    } catch (e) {
      if (n === seq.current) setError(e);
    } finally {
      if (n === seq.current) setLoading(false);
    }
  }, [range, typeId, groupId]);

  useEffect(() => {
    void load();
  }, [load]);

  const typeName = (id: string) => types.data.find((x) => x.id === id)?.name ?? id;
  const groupName = (id: string | null) => (id ? (queues.data.find((q) => q.id === id)?.name ?? id) : t('tkstats.noGroup'));
  const days = useMemo(() => (data ? fillDays(shownRange[0], shownRange[1], data.by_day) : []), [data, shownRange]);

  const countColumns = TOTALS.map(({ key }) => ({
    title: t(`tkstats.${key}`),
    dataIndex: key,
    align: 'right' as const,
    sorter: (a: StatCounts, b: StatCounts) => a[key] - b[key],
  }));

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="tkstats-page">
      <Card size="small">
        <div className="tkstats-head">
          <Typography.Title level={4} style={{ margin: 0 }}>{t('tkstats.title')}</Typography.Title>
          <Space wrap>
            <DatePicker.RangePicker
              allowClear={false}
              value={[dayjs(range[0]), dayjs(range[1])]}
              disabledDate={(d) => d.format('YYYY-MM-DD') > today}
              presets={[
                { label: t('tkstats.last7'), value: [dayjs(addDays(today, -6)), dayjs(today)] },
                { label: t('tkstats.last30'), value: [dayjs(addDays(today, -29)), dayjs(today)] },
                { label: t('tkstats.last90'), value: [dayjs(addDays(today, -89)), dayjs(today)] },
                { label: t('tkstats.thisMonth'), value: [dayjs(`${today.slice(0, 8)}01`), dayjs(today)] },
              ]}
              onChange={(v) => {
                if (v && v[0] && v[1]) setRange([v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD')]);
              }}
              data-testid="tkstats-range"
            />
            <Select
              allowClear
              style={{ minWidth: 200 }}
              placeholder={t('tkstats.allTypes')}
              value={typeId}
              onChange={(v?: string) => setTypeId(v)}
              options={types.data.map((x) => ({ value: x.id, label: x.name }))}
              data-testid="tkstats-type"
            />
            <Select
              allowClear
              style={{ minWidth: 200 }}
              placeholder={t('tkstats.allGroups')}
              value={groupId}
              onChange={(v?: string) => setGroupId(v)}
              options={queues.data.map((q) => ({ value: q.id, label: q.name }))}
              data-testid="tkstats-group"
            />
            <Button icon={<ReloadOutlined />} loading={loading} onClick={() => void load()} data-testid="tkstats-refresh">
              {t('common.refresh')}
            </Button>
          </Space>
        </div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('tkstats.rangeNote', { from: shownRange[0], to: shownRange[1] })}
          {loadedAt && ` · ${t('tkstats.loadedAt', { time: loadedAt.format('HH:mm:ss') })}`}
        </Typography.Text>
      </Card>

      {problem && <Alert type="warning" showIcon message={problem === 'order' ? t('tkstats.badOrder') : t('tkstats.tooLong')} />}
      {error != null && (
        <Alert
          type="error"
          showIcon
          message={errorText(error, t)}
          action={<Button size="small" onClick={() => void load()}>{t('common.refresh')}</Button>}
          data-testid="tkstats-error"
        />
      )}

      <Row gutter={[16, 16]} className="tkstats-totals">
        {TOTALS.map(({ key, color }) => (
          <Col xs={12} lg={6} key={key}>
            <Card loading={loading && !data}>
              <Statistic
                title={
                  <Space size={4}>
                    {t(`tkstats.${key}`)}
                    <Tooltip title={t(`tkstats.${key}Help` as MessageKey)}>
                      <QuestionCircleOutlined />
                    </Tooltip>
                  </Space>
                }
                value={data ? data[key] : '—'}
                valueStyle={{ color }}
                valueRender={(node) => <span data-testid={`tkstats-${key}`}>{node}</span>}
              />
            </Card>
          </Col>
        ))}
      </Row>

      <Card size="small" title={t('tkstats.chartTitle')} loading={loading && !data}>
        {data && days.every((d) => d.created === 0 && d.completed === 0) ? (
          <Typography.Paragraph type="secondary" style={{ margin: '24px 0', textAlign: 'center' }}>{t('tkstats.noData')}</Typography.Paragraph>
        ) : (
          <TicketDayChart days={days} />
        )}
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('tkstats.byType')}>
            <Table
              rowKey="type_id"
              size="small"
              loading={loading}
              pagination={false}
              dataSource={data?.by_type ?? []}
              data-testid="tkstats-by-type"
              columns={[
                { title: t('tkstats.type'), dataIndex: 'type_id', render: (id: string) => typeName(id) },
                ...countColumns,
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('tkstats.byGroup')}>
            <Table
              rowKey={(r) => r.group_id ?? 'none'}
              size="small"
              loading={loading}
              pagination={false}
              dataSource={data?.by_group ?? []}
              data-testid="tkstats-by-group"
              columns={[
                { title: t('tkstats.group'), dataIndex: 'group_id', render: (id: string | null) => groupName(id) },
                ...countColumns,
              ]}
            />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
