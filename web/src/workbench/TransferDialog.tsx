// Transfer a chat or a call (M4): to a queue of its channel, or to a colleague signed in to one
// (any agent may pick one: `GET /agent/colleagues`); a note for the next agent is required. A
// chat's history goes along; a call's customer waits in the queue with music or rings the
// colleague's phone.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Form, Input, Modal, Radio, Select } from 'antd';
import { contactsApi, queuesApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { Contact, Queue } from '../api/types';
import type { TFunc } from '../i18n';
import { StateBadge } from '../components/Timers';
import { TRANSFER_NOTE_MAX, transferAgents, transferQueues, transferTexts } from './transfer';
import { useColleagues } from './useColleagues';

interface Props {
  open: boolean;
  contact: Contact;
  t: TFunc;
  onClose: () => void;
  onDone: () => void;
}

export default function TransferDialog({ open, contact, t, onClose, onDone }: Props) {
  const [queues, setQueues] = useState<Queue[]>([]);
  const { colleagues } = useColleagues(open);
  const [target, setTarget] = useState<'queue' | 'agent'>('queue');
  const [queueId, setQueueId] = useState<string | undefined>();
  const [agentId, setAgentId] = useState<string | undefined>();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [touched, setTouched] = useState(false);

  // A fresh form each time the dialog opens (adjusting state during render, not in an effect).
  const [wasOpen, setWasOpen] = useState(false);
  if (open !== wasOpen) {
    setWasOpen(open);
    if (open) {
      setError(null);
      setTouched(false);
      setNote('');
      setAgentId(undefined);
      setTarget('queue');
    }
  }

  // The targets, loaded while the dialog is open.
  useEffect(() => {
    if (!open) return;
    let alive = true;
    queuesApi.list().then(
      (qs) => {
        if (!alive) return;
        const mine = transferQueues(qs, contact.channel);
        setQueues(mine);
        setQueueId(mine.find((q) => q.id === contact.queue_id)?.id ?? mine[0]?.id);
      },
      (e) => alive && setError(errorText(e, t)),
    );
    return () => {
      alive = false;
    };
  }, [open, contact.queue_id, contact.channel, t]);

  const texts = transferTexts(contact.channel);
  const agents = useMemo(() => transferAgents(colleagues, queues.map((q) => q.id), contact.channel), [colleagues, queues, contact.channel]);
  const noteText = note.trim();
  const chosen = target === 'queue' ? queueId : agentId;

  const submit = async () => {
    setTouched(true);
    if (!chosen || !noteText) return;
    setBusy(true);
    setError(null);
    try {
      await contactsApi.transfer(contact.id, target === 'queue' ? { queue_id: chosen, note: noteText } : { agent_id: chosen, note: noteText });
      onDone();
    } catch (e) {
      setError(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t(texts.title)}
      okText={t('wb.chat.transfer.ok')}
      cancelText={t('common.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'wb-transfer-ok' }}
      data-testid="wb-transfer-dialog"
    >
      <Form layout="vertical" requiredMark={false} data-testid="wb-transfer-form">
        <Form.Item label={t('wb.chat.transfer.to')} style={{ marginBottom: 12 }}>
          <Radio.Group
            optionType="button"
            value={target}
            onChange={(e) => setTarget(e.target.value as 'queue' | 'agent')}
            options={[
              { value: 'queue', label: t('wb.chat.transfer.queue') },
              { value: 'agent', label: t('wb.chat.transfer.agent') },
            ]}
            data-testid="wb-transfer-kind"
          />
        </Form.Item>
        {target === 'queue' ? (
          <Form.Item
            label={t('wb.chat.transfer.queue')}
            required
            validateStatus={touched && !queueId ? 'error' : undefined}
            help={touched && !queueId ? t('wb.chat.transfer.needTarget') : undefined}
            extra={t(texts.queueHint)}
          >
            <Select
              value={queueId}
              onChange={setQueueId}
              placeholder={t(texts.pickQueue)}
              options={queues.map((q) => ({ value: q.id, label: q.name }))}
              data-testid="wb-transfer-queue"
            />
          </Form.Item>
        ) : (
          <Form.Item
            label={t('wb.chat.transfer.agent')}
            required
            validateStatus={touched && !agentId ? 'error' : undefined}
            help={touched && !agentId ? t('wb.chat.transfer.needTarget') : agents.length === 0 ? t(texts.noAgents) : undefined}
          >
            <Select
              value={agentId}
              onChange={setAgentId}
              placeholder={t('wb.chat.transfer.pickAgent')}
              options={agents.map((a) => ({
                value: a.id,
                disabled: a.disabled,
                label: (
                  <span className="cw-agent-option" data-testid={`wb-transfer-agent-${a.id}`} data-disabled={String(a.disabled)}>
                    <span>{a.name}</span>
                    <StateBadge state={a.state} />
                  </span>
                ),
              }))}
              data-testid="wb-transfer-agent"
            />
          </Form.Item>
        )}
        <Form.Item
          label={t('wb.chat.transfer.note')}
          required
          validateStatus={touched && !noteText ? 'error' : undefined}
          help={touched && !noteText ? t('wb.chat.transfer.needNote') : undefined}
          style={{ marginBottom: 24 }}
        >
          <Input.TextArea
            value={note}
            onChange={(e) => setNote(e.target.value)}
            maxLength={TRANSFER_NOTE_MAX}
            showCount
            autoSize={{ minRows: 3, maxRows: 6 }}
            placeholder={t('wb.chat.transfer.notePlaceholder')}
            data-testid="wb-transfer-note"
          />
        </Form.Item>
        {error && <Alert type="error" showIcon message={error} data-testid="wb-transfer-error" />}
      </Form>
    </Modal>
  );
}
