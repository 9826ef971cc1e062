// An agent's day in a drawer (X3): a supervisor picks the day of any agent (`GET
// /agents/{id}/timeline`), an agent sees their own (`GET /agent/timeline`); a held contact in
// the strip opens its life.
import { useEffect, useState } from 'react';
import { Alert, DatePicker, Drawer, Empty, Space, Spin } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { reportsApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { AgentTimeline } from '../api/types';
import { useT } from '../i18n';
import { useTenantToday } from '../util/useTenantToday';
import AgentDayStrip from './AgentDayStrip';
import ContactLifeDrawer from './ContactLifeDrawer';

/** Whose day: an agent (a supervisor looking), or null for my own. */
export interface DayOf {
  agentId: string | null;
  name: string;
}

/**
 * `initialDate`: the day shown first, e.g. a report row's day; else the tenant's today (the
 * server reads days in the tenant's zone, which may already be tomorrow in the browser's).
 */
export default function AgentDayDrawer({ of, initialDate, onClose }: { of: DayOf | null; initialDate?: Dayjs; onClose: () => void }) {
  const t = useT();
  const today = useTenantToday();
  const [date, setDate] = useState<Dayjs | null>(initialDate ?? null);
  const first = initialDate?.format('YYYY-MM-DD');

  // Each opening starts from its own day.
  useEffect(() => {
    if (of) setDate(first ? dayjs(first) : today ? dayjs(today) : null);
  }, [of, first, today]);
  const [day, setDay] = useState<AgentTimeline | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [life, setLife] = useState<string | null>(null);

  useEffect(() => {
    setDay(null);
    setError(null);
    if (!of || !date) return;
    let live = true;
    const d = date.format('YYYY-MM-DD');
    (of.agentId ? reportsApi.agentTimeline(of.agentId, d) : reportsApi.myTimeline(d)).then(
      (x) => live && setDay(x),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [of, date]);

  return (
    <Drawer open={of !== null} onClose={onClose} width={960} title={of ? t('timeline.title', { name: of.name }) : ''} destroyOnClose data-testid="day-drawer">
      <Space direction="vertical" style={{ width: '100%' }} size={16}>
        <DatePicker value={date} onChange={(v) => v && setDate(v)} allowClear={false} disabledDate={(d) => d.isAfter(dayjs(today ?? undefined), 'day')} data-testid="day-date" />
        {error != null && <Alert type="error" showIcon message={errorText(error, t)} />}
        {!day && error == null && <Spin />}
        {day && (day.spans.length === 0 && day.contacts.length === 0 ? <Empty description={t('timeline.empty')} /> : <AgentDayStrip day={day} onContact={setLife} />)}
      </Space>
      <ContactLifeDrawer contactId={life} onClose={() => setLife(null)} />
    </Drawer>
  );
}
