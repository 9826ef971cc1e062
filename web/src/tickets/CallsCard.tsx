// A ticket's calls (T11): the call records of the contacts it links, newest first — time,
// direction, the customer's number, agent, talk time, satisfaction — and each recording in an
// <audio> player when the server says I may hear it (recordings.access, or my own call).
// Fetched again whenever the linked contacts change.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Table, Tag, Typography } from 'antd';
import { PhoneOutlined } from '@ant-design/icons';
import { getToken } from '../api/client';
import { errorText } from '../api/errors';
import { customerNumber, formatDuration, localTime, recordingUrl, surveyText } from '../calls/model';
import { useT, type MessageKey } from '../i18n';
import { ticketsApi } from './api';
import type { Ticket, TicketCall } from './types';

export default function CallsCard({ ticket }: { ticket: Ticket }) {
  const t = useT();
  const [calls, setCalls] = useState<TicketCall[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const linked = (ticket.contact_ids ?? []).join(',');

  const load = useCallback(async (alive: () => boolean) => {
    try {
      const list = await ticketsApi.calls(ticket.id);
      if (!alive()) return;
      setCalls(list);
      setError(null);
    } catch (e) {
      if (alive()) setError(e);
    }
  }, [ticket.id]);

  useEffect(() => {
    let alive = true;
    void load(() => alive);
    return () => {
      alive = false;
    };
  }, [load, linked]);

  return (
    <Card size="small" title={<span><PhoneOutlined /> {t('tk.calls.title')}</span>} data-testid="ticket-calls">
      {error != null && (
        <Alert
          type="error"
          showIcon
          message={t('tk.calls.loadError', { error: errorText(error, t) })}
          action={<Button size="small" onClick={() => void load(() => true)}>{t('common.refresh')}</Button>}
          style={{ marginBottom: 8 }}
        />
      )}
      <Table<TicketCall>
        rowKey="id"
        size="small"
        loading={calls == null && error == null}
        dataSource={calls ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('tk.calls.empty') }}
        onRow={(c) => ({ 'data-testid': 'ticket-call', 'data-call-id': c.id }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('calls.started'), dataIndex: 'started_at', render: (v: string) => localTime(v) },
          {
            title: t('calls.direction'),
            dataIndex: 'direction',
            render: (d: string) => <Tag bordered={false}>{t(`calls.dir.${d}` as MessageKey)}</Tag>,
          },
          { title: t('tk.calls.number'), key: 'number', render: (_, c) => <span data-testid="ticket-call-number">{customerNumber(c)}</span> },
          {
            title: t('calls.agent'),
            dataIndex: 'agent_name',
            render: (n: string | null, c) => n ?? (c.agent_id ? '—' : <Typography.Text type="secondary">{t('calls.unanswered')}</Typography.Text>),
          },
          { title: t('calls.talk'), dataIndex: 'talk_ms', align: 'right', render: (ms: number | null) => formatDuration(ms) },
          { title: t('calls.survey'), key: 'survey', render: (_, c) => surveyText(c, t) || '—' },
          {
            title: t('calls.recording'),
            key: 'recording',
            render: (_, c) => {
              if (!c.recording) return '—';
              if (!c.recording_playable) return <Typography.Text type="secondary">{t('tk.calls.notYours')}</Typography.Text>;
              // The browser fetches ranges itself as it plays and seeks (206 from the server).
              return <audio controls preload="none" src={recordingUrl(c.id, getToken())} style={{ width: 240, height: 32 }} data-testid="ticket-call-audio" />;
            },
          },
        ]}
      />
    </Card>
  );
}
