// The consult dialog of a connected call (V6): every signed-in colleague with their state (only
// the free may be called), the voice queues (the server calls the longest-idle agent of the
// one picked) and, for agents who may call out, an outside number with one of their caller
// numbers (as on the dial pad). Picking one starts the consult at once; a refusal stays in the
// dialog, in the user's language, so that someone else can be picked.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Empty, List, Modal, Space, Typography } from 'antd';
import { PhoneOutlined } from '@ant-design/icons';
import { contactsApi, queuesApi } from '../api/endpoints';
import { ApiError } from '../api/client';
import type { Contact, Queue } from '../api/types';
import type { TFunc } from '../i18n';
import { StateBadge } from '../components/Timers';
import { consultBody, consultColleagues, type ConsultTarget } from './consult';
import { isDialable } from './dial';
import { useDialer } from './Dialer';
import { CallerNumberSelect, OutsideNumberInput, useCallerNumbers } from './OutsideNumber';
import { transferErrorText, transferQueues } from './transfer';
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
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const canCallOut = useDialer() !== null;
  const [number, setNumber] = useState('');
  const callerNumbers = useCallerNumbers(open && canCallOut);

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
  const numberTarget: ConsultTarget = { kind: 'number', id: number, name: number };
  const canCallNumber = isDialable(number) && !!callerNumbers.caller && busy === null;
  const callNumber = () => {
    if (canCallNumber) void consult(numberTarget);
  };

  const consult = async (target: ConsultTarget) => {
    setBusy(target.id);
    setError(null);
    setErrorCode(null);
    onRequest();
    try {
      await contactsApi.consult(contact.id, consultBody(target, target.kind === 'number' ? callerNumbers.caller : null));
      onStarted(target);
    } catch (e) {
      const code = e instanceof ApiError ? e.code : '';
      onRefused(code);
      setError(transferErrorText(e, t));
      setErrorCode(code || 'error');
    } finally {
      setBusy(null);
    }
  };

  return (
    <Modal open={open} title={t('wb.call.consult.title')} footer={null} onCancel={onClose} destroyOnHidden width={520} data-testid="consult-dialog">
      <Typography.Paragraph type="secondary">{t('wb.call.consult.intro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="consult-error" data-code={errorCode ?? undefined} />}
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
      {canCallOut && (
        <div data-testid="consult-outside">
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('wb.call.consult.outsideTitle')}
          </Typography.Title>
          <Space direction="vertical" style={{ width: '100%' }}>
            <OutsideNumberInput value={number} onChange={setNumber} onPressEnter={callNumber} t={t} testId="consult-number" />
            <div>
              <Typography.Text type="secondary">{t('dial.callerNumber')}</Typography.Text>
              <CallerNumberSelect handle={callerNumbers} t={t} testId="consult-caller" noneTestId="consult-no-callers" />
            </div>
            <Button
              type="primary"
              icon={<PhoneOutlined />}
              disabled={!canCallNumber}
              loading={busy !== null && busy === number}
              onClick={callNumber}
              data-testid="consult-number-call"
            >
              {t('wb.call.consult.callNumber')}
            </Button>
            <Typography.Text type="secondary">{t('wb.call.consult.outsideHint')}</Typography.Text>
          </Space>
        </div>
      )}
    </Modal>
  );
}
