// Call control on a connected call's card (V4, V6, V9, M4): hold and resume with the hold
// timers, the soft keypad, the transfer to a voice queue or a colleague or out of the center (an
// outside number, an IVR flow, the survey), and consulting a colleague or an outside number
// (three-way, attended transfer) while the customer holds.
import { useState } from 'react';
import { App as AntApp, Button, Space, Tag, Typography } from 'antd';
import { CustomerServiceOutlined, PauseCircleOutlined, PlayCircleOutlined, SwapOutlined } from '@ant-design/icons';
import { contactsApi } from '../api/endpoints';
import { ApiError } from '../api/client';
import { errorText } from '../api/errors';
import type { Contact } from '../api/types';
import { useT } from '../i18n';
import { Elapsed } from '../components/Timers';
import { formatDuration } from '../util/time';
import { useNow } from '../util/useNow';
import { holdTotalSeconds, isHeld, showHoldTotal } from './callControl';
import { consultButtons } from './consult';
import ConsultBar from './ConsultBar';
import ConsultDialog from './ConsultDialog';
import KeypadButton from './Keypad';
import TransferDialog from './TransferDialog';
import { transferDoneKey } from './transfer';
import type { AgentStatusHandle } from './useAgentStatus';
import { useConsult } from './useConsult';

/** "On hold mm:ss" while held, counting on the server's clock from `held_since`. */
export function HeldTag({ contact, offset }: { contact: Contact; offset: number }) {
  const t = useT();
  if (!isHeld(contact)) return null;
  return (
    <Tag color="gold" icon={<PauseCircleOutlined />} data-testid="contact-held">
      {t('wb.call.held')} <Elapsed since={contact.held_since} offset={offset} testId="contact-held-timer" />
    </Tag>
  );
}

/** "Held m:ss": all the call's hold time, once a hold has ended (a wrap-up card keeps it). */
export function HoldTotal({ contact, offset }: { contact: Contact; offset: number }) {
  const t = useT();
  const now = useNow();
  if (!showHoldTotal(contact)) return null;
  const s = holdTotalSeconds(contact, offset, now);
  return (
    <Typography.Text type="secondary" className="hold-total" data-testid="contact-hold-total" data-seconds={s}>
      {t('wb.call.holdTotal', { time: formatDuration(s) })}
    </Typography.Text>
  );
}

/** The buttons of my connected call. The card re-renders from `GET /agent` after each action. */
export function CallControls({ contact, agent }: { contact: Contact; agent: AgentStatusHandle }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [pending, setPending] = useState<'hold' | 'resume' | null>(null);
  const [transferOpen, setTransferOpen] = useState(false);
  const [consultOpen, setConsultOpen] = useState(false);
  const held = isHeld(contact);
  const consult = useConsult(contact.id, () => {
    void message.info(t('wb.call.consult.ended'));
  });
  // While consulting, hold and transfer belong to the consult (the server answers `consulting`).
  const { callButtons } = consultButtons(consult.state.phase);

  const toggleHold = async () => {
    const action = held ? 'resume' : 'hold';
    setPending(action);
    try {
      await (action === 'hold' ? contactsApi.hold(contact.id) : contactsApi.resume(contact.id));
    } catch (e) {
      if (e instanceof ApiError) consult.dispatch({ type: 'conflict', code: e.code, action: 'hold' });
      message.error(errorText(e, t));
    } finally {
      // Refused or not, the card shows what the server now says (a refusal may mean the page was behind).
      await agent.refresh();
      setPending(null);
    }
  };

  return (
    <div className="call-controls" data-testid="call-controls" aria-label={t('wb.call.controls')} data-held={held ? 'true' : 'false'} data-consult={consult.state.phase}>
      <Space wrap>
        {!callButtons ? null : held ? (
          <Button type="primary" icon={<PlayCircleOutlined />} loading={pending === 'resume'} onClick={() => void toggleHold()} data-testid="contact-resume">
            {t('wb.call.resume')}
          </Button>
        ) : (
          <Button icon={<PauseCircleOutlined />} loading={pending === 'hold'} onClick={() => void toggleHold()} data-testid="contact-hold">
            {t('wb.call.hold')}
          </Button>
        )}
        <KeypadButton contactId={contact.id} />
        {callButtons && (
          <>
            <Button icon={<CustomerServiceOutlined />} onClick={() => setConsultOpen(true)} data-testid="contact-consult">
              {t('wb.call.consult')}
            </Button>
            <Button icon={<SwapOutlined />} onClick={() => setTransferOpen(true)} data-testid="contact-transfer">
              {t('wb.call.transfer')}
            </Button>
          </>
        )}
      </Space>
      <ConsultBar contact={contact} agent={agent} consult={consult} />
      <Space wrap className="call-hold-info">
        <HeldTag contact={contact} offset={agent.offset} />
        <HoldTotal contact={contact} offset={agent.offset} />
      </Space>
      {consultOpen && (
        <ConsultDialog
          open={consultOpen}
          contact={contact}
          t={t}
          onClose={() => setConsultOpen(false)}
          onRequest={() => {
            consult.leaving.current = false;
            consult.dispatch({ type: 'request' });
          }}
          onStarted={(target) => {
            consult.dispatch({ type: 'started', target });
            setConsultOpen(false);
          }}
          onRefused={(code) => consult.dispatch({ type: 'refused', code })}
        />
      )}
      {transferOpen && (
        <TransferDialog
          open={transferOpen}
          contact={contact}
          t={t}
          onClose={() => setTransferOpen(false)}
          onDone={(kind) => {
            setTransferOpen(false);
            message.success({ content: <span data-testid="wb-transfer-done" data-kind={kind}>{t(transferDoneKey(kind, 'voice'))}</span> });
            void agent.refresh();
          }}
        />
      )}
    </div>
  );
}
