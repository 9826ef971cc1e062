// The dial pad (外呼, V9, V10, T4): a dialog on any page of an agent who may call out, opened
// from the connection bar, a call to call back (the wrap-up card, a call record) or a ticket.
// The number is typed, pasted or keyed on the pad; the caller number is one of the agent's
// (the default preselected); Call is enabled only when the agent may call out now. The call
// then shows on the workbench like any connected call (the live events bring it).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { Alert, App as AntApp, Button, Input, Modal, Space, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, PhoneOutlined } from '@ant-design/icons';
import { ApiError } from '../api/client';
import { agentApi } from '../api/endpoints';
import type { Contact, Me } from '../api/types';
import { useT } from '../i18n';
import { backspace, cleanNumber, DIAL_KEYS, dialBlock, dialBlockKey, dialErrorText, isDialable, pressKey, type DialBlock } from './dial';
import { CallerNumberSelect, useCallerNumbers } from './OutsideNumber';
import type { AgentStatusHandle } from './useAgentStatus';

/** What a dial pad opens with. */
export interface DialPrefill {
  number?: string;
  /** The ticket the call is about: linked to it, written in its trail. */
  ticket?: { id: string; number: string };
  /** Told the new contact once the call is placed. */
  onPlaced?: (c: Contact) => void;
  /** Stay on the page the call was placed from (a ticket); otherwise the workbench shows the call. */
  stay?: boolean;
}

export interface DialerHandle {
  open: (prefill?: DialPrefill) => void;
  /** Why Call is disabled now; null when the agent may call out. */
  block: DialBlock | null;
}

const DialerContext = createContext<DialerHandle | null>(null);

/** The dial pad's opener; null for users who may not call out (no `calls.outbound`, or no agent). */
export function useDialer(): DialerHandle | null {
  return useContext(DialerContext);
}

export function DialerProvider({ me, agent, children }: { me: Me; agent: AgentStatusHandle; children: ReactNode }) {
  const permitted = me.permissions.includes('calls.outbound');
  const [open, setOpen] = useState(false);
  const [prefill, setPrefill] = useState<DialPrefill>({});
  // The number outlives the dialog, so that one closed to finish a wrap-up keeps it.
  const [number, setNumber] = useState('');
  const block = dialBlock(agent.status, permitted);

  const openDialer = useCallback((p: DialPrefill = {}) => {
    setPrefill(p);
    if (p.number !== undefined) setNumber(cleanNumber(p.number));
    setOpen(true);
  }, []);
  const handle = useMemo(() => ({ open: openDialer, block }), [openDialer, block]);

  if (!permitted) return <>{children}</>;
  return (
    <DialerContext.Provider value={handle}>
      {children}
      <DialDialog
        open={open}
        prefill={prefill}
        number={number}
        setNumber={setNumber}
        block={block}
        agent={agent}
        onClose={() => setOpen(false)}
      />
    </DialerContext.Provider>
  );
}

function DialDialog(props: {
  open: boolean;
  prefill: DialPrefill;
  number: string;
  setNumber: (n: string) => void;
  block: DialBlock | null;
  agent: AgentStatusHandle;
  onClose: () => void;
}) {
  const { open, prefill, number, setNumber, block, agent, onClose } = props;
  const t = useT();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  // The caller numbers are read again at each opening (an admin may have changed the groups).
  const callerNumbers = useCallerNumbers(open);
  const { caller } = callerNumbers;
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (open) setError(null);
  }, [open]);

  const edit = (n: string) => {
    setNumber(n);
    setError(null);
  };
  const dialable = isDialable(number);
  const canCall = !block && dialable && !!caller && !busy;

  const call = async () => {
    if (!canCall) return;
    setBusy(true);
    setError(null);
    try {
      const contact = await agentApi.dial({ number, caller_number: caller, ticket_id: prefill.ticket?.id ?? null });
      message.success({ content: <span data-testid="dial-placed">{t('dial.placed', { number })}</span> });
      setNumber('');
      onClose();
      prefill.onPlaced?.(contact);
      if (!prefill.stay && location.pathname !== '/workbench') navigate('/workbench');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      void agent.refresh();
    }
  };

  const errorCode = error instanceof ApiError ? error.code : 'error';
  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={
        <Space>
          <PhoneOutlined />
          {t('dial.title')}
        </Space>
      }
      width={400}
      footer={
        <Space>
          <Button onClick={onClose} data-testid="dial-cancel">
            {t('common.cancel')}
          </Button>
          <Button type="primary" icon={<PhoneOutlined />} disabled={!canCall} loading={busy} onClick={() => void call()} data-testid="dial-call">
            {t('dial.call')}
          </Button>
        </Space>
      }
      data-testid="dial-dialog"
    >
      <Space direction="vertical" size={12} style={{ width: '100%' }} className="dial-pad" data-testid="dial-pad">
        {prefill.ticket && (
          <Tag color="blue" data-testid="dial-ticket">
            {t('dial.ticket', { number: prefill.ticket.number })}
          </Tag>
        )}
        <Input
          size="large"
          value={number}
          onChange={(e) => edit(cleanNumber(e.target.value))}
          onPressEnter={() => void call()}
          placeholder={t('dial.numberPlaceholder')}
          aria-label={t('dial.number')}
          inputMode="tel"
          autoFocus
          allowClear
          className="dial-number"
          status={number && !dialable ? 'warning' : undefined}
          data-testid="dial-number"
        />
        {number !== '' && !dialable && (
          <Typography.Text type="warning" data-testid="dial-invalid">
            {t('dial.invalidNumber')}
          </Typography.Text>
        )}
        <div className="dial-keys">
          {DIAL_KEYS.map((k) => (
            <Button key={k} size="large" className="dial-key" onClick={() => edit(pressKey(number, k))} data-testid={`dial-key-${k}`}>
              {k}
            </Button>
          ))}
          <Button
            size="large"
            className="dial-key"
            icon={<ArrowLeftOutlined />}
            disabled={!number}
            onClick={() => edit(backspace(number))}
            aria-label={t('dial.backspace')}
            data-testid="dial-backspace"
          />
        </div>
        <div>
          <Typography.Text type="secondary">{t('dial.callerNumber')}</Typography.Text>
          <CallerNumberSelect handle={callerNumbers} t={t} testId="dial-caller" noneTestId="dial-no-callers" />
        </div>
        {block && <Alert type="info" showIcon message={t(dialBlockKey(block))} data-testid="dial-block" data-block={block} />}
        {error != null && <Alert type="error" showIcon message={dialErrorText(error, t)} data-testid="dial-error" data-code={errorCode} />}
        <Typography.Text type="secondary" className="dial-hint">
          {t('dial.phoneHint')}
        </Typography.Text>
      </Space>
    </Modal>
  );
}

/** A button opening the dial pad with a number (a call to call back); nothing for users who may not call out. */
export function CallBackButton({ number, testId, stay, size }: { number: string | null; testId: string; stay?: boolean; size?: 'small' | 'middle' }) {
  const t = useT();
  const dialer = useDialer();
  if (!dialer || !number) return null;
  return (
    <Button icon={<PhoneOutlined />} size={size} onClick={() => dialer.open({ number, stay })} data-testid={testId}>
      {t('dial.callBack')}
    </Button>
  );
}
