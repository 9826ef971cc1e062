// Call control on a connected call's card (V4, V9, M4): hold and resume with the hold timers,
// the soft keypad and the transfer to a voice queue or an agent.
import { useState } from 'react';
import { App as AntApp, Button, Space, Tag, Typography } from 'antd';
import { PauseCircleOutlined, PlayCircleOutlined, SwapOutlined } from '@ant-design/icons';
import { contactsApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { Contact } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { useT } from '../i18n';
import { Elapsed } from '../components/Timers';
import { formatDuration } from '../util/time';
import { useNow } from '../util/useNow';
import { holdTotalSeconds, isHeld, showHoldTotal } from './callControl';
import KeypadButton from './Keypad';
import TransferDialog from './TransferDialog';
import type { AgentStatusHandle } from './useAgentStatus';

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
  const { me } = useAuth();
  const { message } = AntApp.useApp();
  const [pending, setPending] = useState<'hold' | 'resume' | null>(null);
  const [transferOpen, setTransferOpen] = useState(false);
  const held = isHeld(contact);

  const toggleHold = async () => {
    const action = held ? 'resume' : 'hold';
    setPending(action);
    try {
      await (action === 'hold' ? contactsApi.hold(contact.id) : contactsApi.resume(contact.id));
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      // Refused or not, the card shows what the server now says (a refusal may mean the page was behind).
      await agent.refresh();
      setPending(null);
    }
  };

  return (
    <div className="call-controls" data-testid="call-controls" aria-label={t('wb.call.controls')} data-held={held ? 'true' : 'false'}>
      <Space wrap>
        {held ? (
          <Button type="primary" icon={<PlayCircleOutlined />} loading={pending === 'resume'} onClick={() => void toggleHold()} data-testid="contact-resume">
            {t('wb.call.resume')}
          </Button>
        ) : (
          <Button icon={<PauseCircleOutlined />} loading={pending === 'hold'} onClick={() => void toggleHold()} data-testid="contact-hold">
            {t('wb.call.hold')}
          </Button>
        )}
        <KeypadButton contactId={contact.id} />
        <Button icon={<SwapOutlined />} onClick={() => setTransferOpen(true)} data-testid="contact-transfer">
          {t('wb.call.transfer')}
        </Button>
      </Space>
      <Space wrap className="call-hold-info">
        <HeldTag contact={contact} offset={agent.offset} />
        <HoldTotal contact={contact} offset={agent.offset} />
      </Space>
      {transferOpen && me && (
        <TransferDialog
          open={transferOpen}
          contact={contact}
          myId={me.id}
          canPickAgent={me.permissions.includes('supervisor.monitor')}
          t={t}
          onClose={() => setTransferOpen(false)}
          onDone={() => {
            setTransferOpen(false);
            message.success(t('wb.call.transferred'));
            void agent.refresh();
          }}
        />
      )}
    </div>
  );
}
