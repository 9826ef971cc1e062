// The service trail (immutable, oldest first) and the box for a follow-up note.
import { useMemo, useState } from 'react';
import { Alert, Button, Card, Input, Space, Spin, Timeline, Typography } from 'antd';
import { HistoryOutlined, SendOutlined } from '@ant-design/icons';
import { errorText } from '../api/errors';
import { useT } from '../i18n';
import { actionLabel, NOTE_MAX, statusLabel } from './actions';
import { ticketsApi } from './api';
import { formatTime } from './fields';
import { trailText, type TrailContext } from './trail';
import type { Ticket } from './types';
import type { TicketHandle } from './useTicket';
import type { TicketMeta } from './useTicketMeta';

export default function TrailCard({ ticket, handle, meta }: { ticket: Ticket; handle: TicketHandle; meta: TicketMeta }) {
  const t = useT();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const type = meta.typeById(ticket.type_id);

  const ctx = useMemo<TrailContext>(
    () => ({
      t,
      user: meta.dir.userName,
      group: meta.dir.groupName,
      status: (code) => statusLabel(type, code),
      action: (code) => actionLabel(type, code),
      field: (code) => type?.fields.find((f) => f.code === code),
    }),
    [t, meta.dir, type],
  );

  const text = note.trim();
  const tooLong = [...text].length > NOTE_MAX;
  const send = async () => {
    if (!text || tooLong) return;
    setBusy(true);
    const result = await handle.run(() => ticketsApi.addNote(ticket.id, text));
    setBusy(false);
    if (result === 'ok') setNote('');
  };

  return (
    <Card size="small" title={<Space><HistoryOutlined />{t('tk.trail.title')}</Space>} data-testid="ticket-trail">
      {handle.trailError != null && (
        <Alert
          type="error"
          showIcon
          message={errorText(handle.trailError, t)}
          action={<Button size="small" onClick={() => void handle.reloadTrail()}>{t('common.refresh')}</Button>}
          style={{ marginBottom: 12 }}
        />
      )}
      <Spin spinning={handle.trailLoading && handle.trail.length === 0}>
        {handle.trail.length === 0 ? (
          <Typography.Text type="secondary">{handle.trailLoading ? t('common.loading') : t('tk.trail.emptyList')}</Typography.Text>
        ) : (
          <Timeline
            className="tk-trail"
            items={handle.trail.map((entry) => {
              const x = trailText(entry, ctx);
              return {
                key: entry.seq,
                color: x.color,
                children: (
                  <div data-testid="ticket-trail-entry" data-action={entry.action}>
                    <div className="tk-trail-head">
                      <span className="tk-trail-title">{x.title}</span>
                      <Typography.Text type="secondary" className="tk-trail-time">
                        {formatTime(entry.at)}
                      </Typography.Text>
                    </div>
                    {x.lines.map((l, i) => (
                      <div key={i} className="tk-trail-line">
                        {l}
                      </div>
                    ))}
                    {x.voicemail && (
                      <div className="tk-trail-voicemail" data-testid="ticket-voicemail">
                        {x.voicemail.recording ? (
                          <audio
                            controls
                            preload="metadata"
                            src={x.voicemail.recording}
                            aria-label={t('tk.trail.voicemailAudio')}
                            data-testid="ticket-voicemail-audio"
                          />
                        ) : (
                          <Typography.Text type="secondary" data-testid="ticket-voicemail-none">
                            {t('tk.trail.voicemailNotRecorded')}
                          </Typography.Text>
                        )}
                      </div>
                    )}
                    {x.note && <div className="tk-trail-note">{x.note}</div>}
                  </div>
                ),
              };
            })}
          />
        )}
      </Spin>
      <div className="tk-note-box">
        <Input.TextArea
          value={note}
          onChange={(e) => setNote(e.target.value)}
          autoSize={{ minRows: 2, maxRows: 6 }}
          maxLength={NOTE_MAX}
          placeholder={t('tk.note.placeholder')}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void send();
            }
          }}
          aria-label={t('tk.note.add')}
          data-testid="ticket-note"
        />
        <div className="tk-note-actions">
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('tk.note.hint')}</Typography.Text>
          <Button type="primary" icon={<SendOutlined />} disabled={!text || tooLong} loading={busy} onClick={() => void send()} data-testid="ticket-note-add">
            {t('tk.note.add')}
          </Button>
        </div>
      </div>
    </Card>
  );
}
