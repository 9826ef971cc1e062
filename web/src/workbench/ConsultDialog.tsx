// The consult dialog of a connected call (V6): every signed-in colleague with their state (only
// the free may be called) and the voice queues (the server calls the longest-idle agent of the
// one picked). Picking one starts the consult at once; a refusal stays in the dialog, in the
// user's language, so that someone else can be picked.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Empty, List, Modal, Typography } from 'antd';
import { PhoneOutlined } from '@ant-design/icons';
import { contactsApi, queuesApi } from '../api/endpoints';
import { ApiError } from '../api/client';
import { errorText } from '../api/errors';
import type { Contact, Queue } from '../api/types';
import type { TFunc } from '../i18n';
import { StateBadge } from '../components/Timers';
import { consultColleagues, type ConsultTarget } from './consult';
import { transferQueues } from './transfer';
import { useColleagues } from './useColleagues';

interface Props {
  open: boolean;
  contact: Contact;
  t: TFunc;
  onClose: () => void;
  /** The consult request is about to go out. */
  onRequest: () => void;
  /** The server accepted: the colleague's phone rings. */
  onStarted: (target: ConsultTarget) => void;
  /** The server refused with this code. */
  onRefused: (code: string) => void;
}

export default function ConsultDialog({ open, contact, t, onClose, onRequest, onStarted, onRefused }: Props) {
  const { colleagues, loaded } = useColleagues(open);
  const [queues, setQueues] = useState<Queue[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    let alive = true;
    setError(null);
    queuesApi.list().then(
      (qs) => alive && setQueues(transferQueues(qs, 'voice')),
      () => alive && setQueues([]),
    );
    return () => {
      alive = false;
    };
  }, [open]);

  const people = useMemo(() => consultColleagues(colleagues), [colleagues]);

  const consult = async (target: ConsultTarget) => {
    setBusy(target.id);
    setError(null);
    onRequest();
    try {
      await contactsApi.consult(contact.id, target.kind === 'agent' ? { agent_id: target.id } : { queue_id: target.id });
      onStarted(target);
    } catch (e) {
      onRefused(e instanceof ApiError ? e.code : '');
      setError(errorText(e, t));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Modal open={open} title={t('wb.call.consult.title')} footer={null} onCancel={onClose} destroyOnHidden width={520} data-testid="consult-dialog">
      <Typography.Paragraph type="secondary">{t('wb.call.consult.intro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="consult-error" />}
      <Typography.Title level={5}>{t('wb.call.consult.colleagues')}</Typography.Title>
      <List
        size="small"
        bordered
        loading={!loaded}
        dataSource={people}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('wb.call.consult.noColleagues')} /> }}
        renderItem={(c) => (
          <List.Item
            data-testid={`consult-row-${c.id}`}
            actions={[
              <Button
                key="call"
                size="small"
                type="primary"
                icon={<PhoneOutlined />}
                disabled={c.disabled || (busy !== null && busy !== c.id)}
                loading={busy === c.id}
                onClick={() => void consult({ kind: 'agent', id: c.id, name: c.name })}
                data-testid={`consult-agent-${c.id}`}
              >
                {t('wb.call.consult.call')}
              </Button>,
            ]}
          >
            <span className="consult-person">
              <Typography.Text strong={!c.disabled} type={c.disabled ? 'secondary' : undefined}>
                {c.name}
              </Typography.Text>
              <StateBadge state={c.state} />
            </span>
          </List.Item>
        )}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('wb.call.consult.queues')}
      </Typography.Title>
      <List
        size="small"
        bordered
        dataSource={queues}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('wb.call.consult.noQueues')} /> }}
        renderItem={(q) => (
          <List.Item
            actions={[
              <Button
                key="call"
                size="small"
                icon={<PhoneOutlined />}
                disabled={busy !== null && busy !== q.id}
                loading={busy === q.id}
                onClick={() => void consult({ kind: 'queue', id: q.id, name: q.name })}
                data-testid={`consult-queue-${q.id}`}
              >
                {t('wb.call.consult.call')}
              </Button>,
            ]}
          >
            <List.Item.Meta title={q.name} description={t('wb.call.consult.queueHint')} />
          </List.Item>
        )}
      />
    </Modal>
  );
}
