// The detail's side panels: my flag, my reminders, cc, linked contacts, and the ticket's facts.
import { useEffect, useState } from 'react';
import { Button, Card, DatePicker, Descriptions, Dropdown, Input, List, Popconfirm, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { BellOutlined, DeleteOutlined, FlagFilled, FlagOutlined, LinkOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { contactsApi } from '../api/endpoints';
import type { Contact } from '../api/types';
import { useT } from '../i18n';
import { requestNotificationPermission } from '../workbench/notify';
import { FLAG_HEX, REMINDER_NOTE_MAX, sortedReminders, statusLabel } from './actions';
import { ticketsApi } from './api';
import { categoryPath } from './categories';
import { peopleOptions } from './directory';
import { displayValue, formatTime } from './fields';
import { flagText } from './labels';
import { shortId } from './trail';
import { FLAG_COLORS, type FlagColor, type Ticket } from './types';
import type { TicketHandle } from './useTicket';
import type { TicketMeta } from './useTicketMeta';
import { systemName } from './systemNames';

export function FlagPicker({ ticket, handle }: { ticket: Ticket; handle: TicketHandle }) {
  const t = useT();
  const set = (color: FlagColor | null) =>
    void handle.run(async () => {
      await ticketsApi.setFlag(ticket.id, color);
      handle.patch((tk) => ({ ...tk, flag: color }));
    });
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [ticket.flag ?? 'none'],
        items: [
          ...FLAG_COLORS.map((c) => ({
            key: c,
            icon: <FlagFilled style={{ color: FLAG_HEX[c] }} />,
            label: <span data-testid={`ticket-flag-${c}`}>{flagText(t, c)}</span>,
          })),
          { type: 'divider' as const },
          { key: 'none', icon: <FlagOutlined />, label: <span data-testid="ticket-flag-none">{t('tk.flag.none')}</span> },
        ],
        onClick: ({ key }) => set(key === 'none' ? null : (key as FlagColor)),
      }}
    >
      <Tooltip title={t('tk.flag.title')}>
        <Button
          icon={ticket.flag ? <FlagFilled style={{ color: FLAG_HEX[ticket.flag] }} /> : <FlagOutlined />}
          aria-label={t('tk.flag.title')}
          data-testid="ticket-flag"
          data-flag={ticket.flag ?? ''}
        >
          {ticket.flag ? flagText(t, ticket.flag) : t('tk.flag.set')}
        </Button>
      </Tooltip>
    </Dropdown>
  );
}

export function RemindersCard({ ticket, handle }: { ticket: Ticket; handle: TicketHandle }) {
  const t = useT();
  const [at, setAt] = useState<Dayjs | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const reminders = sortedReminders(ticket.reminders);

  const add = async () => {
    if (!at) {
      setProblem(t('tk.remind.needTime'));
      return;
    }
    if (!at.isAfter(dayjs())) {
      setProblem(t('tk.remind.future'));
      return;
    }
    setProblem(null);
    setBusy(true);
    requestNotificationPermission();
    const ok = 'ok' === await handle.run(async () => {
      const r = await ticketsApi.addReminder(ticket.id, at.second(0).millisecond(0).format('YYYY-MM-DDTHH:mm:ssZ'), note.trim() || undefined);
      handle.patch((tk) => ({ ...tk, reminders: [...(tk.reminders ?? []).filter((x) => x.id !== r.id), r] }));
    });
    setBusy(false);
    if (ok) {
      setAt(null);
      setNote('');
    }
  };

  const remove = (id: string) =>
    void handle.run(async () => {
      await ticketsApi.deleteReminder(ticket.id, id);
      handle.patch((tk) => ({ ...tk, reminders: (tk.reminders ?? []).filter((x) => x.id !== id) }));
    });

  return (
    <Card size="small" title={<Space><BellOutlined />{t('tk.remind.title')}</Space>} data-testid="ticket-reminders">
      {reminders.length === 0 ? (
        <Typography.Text type="secondary">{t('tk.remind.none')}</Typography.Text>
      ) : (
        <List
          size="small"
          dataSource={reminders}
          renderItem={(r) => (
            <List.Item
              data-testid="ticket-reminder"
              actions={[
                <Popconfirm key="del" title={t('tk.remind.confirmDelete')} onConfirm={() => remove(r.id)} okText={t('common.ok')} cancelText={t('common.cancel')}>
                  <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} data-testid="ticket-reminder-delete" />
                </Popconfirm>,
              ]}
            >
              <List.Item.Meta
                title={
                  <Space size={6}>
                    <span className={r.fired ? 'tk-reminder-fired' : undefined}>{formatTime(r.at)}</span>
                    {r.fired && <Tag bordered={false}>{t('tk.remind.fired')}</Tag>}
                  </Space>
                }
                description={r.note || undefined}
              />
            </List.Item>
          )}
        />
      )}
      <Space direction="vertical" style={{ width: '100%', marginTop: 8 }}>
        <DatePicker
          showTime={{ format: 'HH:mm' }}
          format="YYYY-MM-DD HH:mm"
          value={at}
          onChange={(d) => {
            setAt(d);
            setProblem(null);
          }}
          disabledDate={(d) => d.isBefore(dayjs().startOf('day'))}
          placeholder={t('tk.remind.at')}
          style={{ width: '100%' }}
          status={problem ? 'error' : undefined}
          data-testid="ticket-reminder-at"
        />
        <Input
          value={note}
          onChange={(e) => setNote(e.target.value)}
          maxLength={REMINDER_NOTE_MAX}
          placeholder={t('tk.remind.note')}
          onPressEnter={() => void add()}
          data-testid="ticket-reminder-note"
        />
        {problem && <Typography.Text type="danger">{problem}</Typography.Text>}
        <Button icon={<PlusOutlined />} loading={busy} onClick={() => void add()} block data-testid="ticket-reminder-add">
          {t('tk.remind.add')}
        </Button>
      </Space>
    </Card>
  );
}

export function CcCard({ ticket, handle, meta }: { ticket: Ticket; handle: TicketHandle; meta: TicketMeta }) {
  const t = useT();
  const [pick, setPick] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const add = async () => {
    if (!pick) return;
    setBusy(true);
    const ok = 'ok' === await handle.run(() => ticketsApi.addCc(ticket.id, pick));
    setBusy(false);
    if (ok) setPick(undefined);
  };
  return (
    <Card size="small" title={t('tk.cc.title')} data-testid="ticket-cc">
      {ticket.cc.length === 0 ? (
        <Typography.Text type="secondary">{t('tk.cc.none')}</Typography.Text>
      ) : (
        <Space size={[4, 6]} wrap>
          {ticket.cc.map((id) => (
            <Tag
              key={id}
              closable={ticket.can.cc}
              onClose={(e) => {
                e.preventDefault();
                void handle.run(() => ticketsApi.removeCc(ticket.id, id));
              }}
              data-testid={`ticket-cc-${id}`}
            >
              {meta.dir.userName(id)}
            </Tag>
          ))}
        </Space>
      )}
      {ticket.can.cc && (
        <Space.Compact style={{ width: '100%', marginTop: 8 }}>
          <Select
            showSearch
            optionFilterProp="label"
            value={pick}
            onChange={setPick}
            options={peopleOptions(meta.dir, [], ticket.cc)}
            placeholder={t('tk.cc.pick')}
            style={{ flex: 1, minWidth: 0 }}
            data-testid="ticket-cc-pick"
          />
          <Button icon={<PlusOutlined />} disabled={!pick} loading={busy} onClick={() => void add()} data-testid="ticket-cc-add">
            {t('tk.cc.add')}
          </Button>
        </Space.Compact>
      )}
    </Card>
  );
}

/** Linked contacts: what I may read of each is shown (channel, title, time), else its short id. */
export function ContactsCard({ ticket, handle }: { ticket: Ticket; handle: TicketHandle }) {
  const t = useT();
  const [details, setDetails] = useState<Record<string, Contact | null>>({});
  const [linkId, setLinkId] = useState('');
  const [busy, setBusy] = useState(false);
  const ids = ticket.contact_ids ?? [];

  useEffect(() => {
    let alive = true;
    for (const id of ids.slice(0, 20)) {
      if (id in details) continue;
      contactsApi.get(id).then(
        (c) => alive && setDetails((d) => ({ ...d, [id]: c })),
        () => alive && setDetails((d) => ({ ...d, [id]: null })),
      );
    }
    return () => {
      alive = false;
    };
    // Fetch each id once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ids.join(',')]);

  const link = async () => {
    const id = linkId.trim();
    if (!id) return;
    setBusy(true);
    const ok = 'ok' === await handle.run(() => ticketsApi.linkContact(ticket.id, id));
    setBusy(false);
    if (ok) setLinkId('');
  };

  return (
    <Card size="small" title={<Space><LinkOutlined />{t('tk.contacts.title')}</Space>} data-testid="ticket-contacts">
      {ids.length === 0 ? (
        <Typography.Text type="secondary">{t('tk.contacts.none')}</Typography.Text>
      ) : (
        <List
          size="small"
          dataSource={ids}
          renderItem={(id) => {
            const c = details[id];
            return (
              <List.Item data-testid="ticket-contact">
                {c ? (
                  <Space size={6} wrap>
                    <Tag bordered={false}>{t(`channel.${c.channel}`)}</Tag>
                    <span>{c.title || c.customer || shortId(id)}</span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatTime(c.created_at)}</Typography.Text>
                  </Space>
                ) : (
                  <Tooltip title={id}>
                    <Typography.Text code>{shortId(id)}</Typography.Text>
                  </Tooltip>
                )}
              </List.Item>
            );
          }}
        />
      )}
      {ticket.can.edit && (
        <Space.Compact style={{ width: '100%', marginTop: 8 }}>
          <Input value={linkId} onChange={(e) => setLinkId(e.target.value)} placeholder={t('tk.contacts.idPlaceholder')} onPressEnter={() => void link()} data-testid="ticket-contact-id" />
          <Button disabled={!linkId.trim()} loading={busy} onClick={() => void link()} data-testid="ticket-contact-link">
            {t('tk.contacts.link')}
          </Button>
        </Space.Compact>
      )}
    </Card>
  );
}

export function InfoCard({ ticket, meta }: { ticket: Ticket; meta: TicketMeta }) {
  const t = useT();
  const type = meta.typeById(ticket.type_id);
  const due = ticket.fields?.due_at;
  const dueField = type?.fields.find((f) => f.code === 'due_at');
  return (
    <Card size="small" title={t('tk.info.title')} data-testid="ticket-info">
      <Descriptions size="small" column={1} colon={false} styles={{ label: { width: 96 } }}>
        <Descriptions.Item label={t('tk.col.type')}>{type?.name ?? shortId(ticket.type_id)}</Descriptions.Item>
        <Descriptions.Item label={t('tk.col.status')}>{systemName('status', ticket.status, ticket.status_label || statusLabel(type, ticket.status), t)}</Descriptions.Item>
        <Descriptions.Item label={t('tk.col.category')}>{categoryPath(meta.categories, ticket.category_id) || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('tk.col.group')}>{ticket.group_id ? meta.dir.groupName(ticket.group_id) : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('tk.col.assignee')}>
          <span data-testid="ticket-assignee">{ticket.assignee_id ? meta.dir.userName(ticket.assignee_id) : t('tk.unassigned')}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('tk.info.createdBy')}>{meta.dir.userName(ticket.created_by) || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('tk.col.createdAt')}>{formatTime(ticket.created_at)}</Descriptions.Item>
        <Descriptions.Item label={t('tk.col.updatedAt')}>{formatTime(ticket.updated_at)}</Descriptions.Item>
        {ticket.closed_at && <Descriptions.Item label={t('tk.info.closedAt')}>{formatTime(ticket.closed_at)}</Descriptions.Item>}
        <Descriptions.Item label={t('tk.col.dueAt')}>{displayValue(dueField ?? { type: 'datetime' }, due) || '—'}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
