// The connection bar (接续条) of the agent workbench: state with a running timer, the live count of
// contacts waiting in my queues, and the sign-in / state / skill-queue controls (S1–S4, S6).
import { useState } from 'react';
import { App as AntApp, Button, Space, Tag, Tooltip, Typography } from 'antd';
import {
  CheckCircleOutlined, CoffeeOutlined, LoginOutlined, LogoutOutlined, PauseCircleOutlined, PhoneOutlined, PlayCircleOutlined, SwapOutlined,
} from '@ant-design/icons';
import type { AgentStatus, Me } from '../api/types';
import { errorText } from '../api/errors';
import { useT } from '../i18n';
import { Elapsed, StateBadge } from '../components/Timers';
import { barControls, queueName, waitingSummary } from './model';
import { dialBlockKey } from './dial';
import { reasonLabel } from './labels';
import { requestNotificationPermission } from './notify';
import QueuePicker from './QueuePicker';
import ReasonButton from './ReasonButton';
import type { AgentStatusHandle } from './useAgentStatus';
import { agentApi, voiceApi } from '../api/endpoints';
import { keepLinePreferred, phoneStanding } from './phone';
import PhoneLine from './PhoneLine';
import { usePhone } from './usePhone';
import { useDialer } from './Dialer';

type Pending = 'sign-in' | 'sign-out' | 'idle' | 'busy' | 'rest' | 'queues' | 'continue' | null;

export default function ConnectionBar({ me, agent }: { me: Me; agent: AgentStatusHandle }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const { status, offset, live } = agent;
  const [pending, setPending] = useState<Pending>(null);
  const [picker, setPicker] = useState<'sign-in' | 'reset' | null>(null);
  const [pickerError, setPickerError] = useState<string | null>(null);

  const mode = status?.sign_in_mode ?? me.effective_sign_in_mode;
  const autoAnswer = status?.auto_answer ?? me.effective_auto_answer;
  const state = status?.state ?? 'signed_out';
  const controls = barControls(status);
  const { waiting, oldest } = waitingSummary(status);
  const phone = usePhone(me.id);
  const dialer = useDialer();

  /** After signing in: reopen the standing line when this browser's agent keeps one. */
  const openKeptLine = (signedIn: boolean) => {
    if (signedIn && keepLinePreferred() && phone?.line === 'off' && phone.registered_devices > 0) {
      voiceApi.openLine().catch(() => undefined);
    }
  };

  /** After signing out: the line is not kept for an agent who is away. */
  const closeLine = (signedOut: boolean) => {
    if (signedOut && phone && phone.line !== 'off') voiceApi.closeLine().catch(() => undefined);
  };

  /** Run an action; errors become a translated message (and the dialog's error when one is open). */
  const act = async (name: Exclude<Pending, null>, call: () => Promise<AgentStatus>, inDialog = false): Promise<boolean> => {
    setPending(name);
    try {
      await agent.apply(call);
      return true;
    } catch (e) {
      const text = errorText(e, t);
      if (inDialog) setPickerError(text);
      message.error(text);
      // The server's view may differ from ours (another tab, a supervisor): resync.
      void agent.refresh();
      return false;
    } finally {
      setPending(null);
    }
  };

  const signIn = () => {
    requestNotificationPermission();
    if (mode === 'specified') {
      setPickerError(null);
      setPicker('sign-in');
    } else {
      void act('sign-in', () => agentApi.signIn()).then(openKeptLine);
    }
  };

  const onPicked = async (ids: string[]) => {
    const ok =
      picker === 'sign-in'
        ? await act('sign-in', () => agentApi.signIn(ids), true)
        : await act('queues', () => agentApi.resetQueues(ids), true);
    if (picker === 'sign-in') openKeptLine(ok);
    if (ok) {
      setPicker(null);
      message.success(t(picker === 'sign-in' ? 'wb.signedIn' : 'wb.queues.resetDone'));
    }
  };

  const signedInNames = (status?.signed_in_queues ?? []).map((id) => queueName(status, id));
  const standing = phoneStanding(phone);

  return (
    <div className="conn-bar" data-testid="connection-bar" role="toolbar" aria-label={t('wb.bar.label')}>
      <div className="conn-bar-info">
        <div className="conn-bar-item">
          <span className="conn-bar-label">{t('wb.bar.agent')}</span>
          <Typography.Text strong data-testid="connection-bar-agent">
            {me.display_name || me.login}
          </Typography.Text>
        </div>
        <div className="conn-bar-item">
          <span className="conn-bar-label">{t('wb.bar.signInMode')}</span>
          <span>
            <Tag color={mode === 'automatic' ? 'blue' : 'purple'} data-testid="connection-bar-mode" data-mode={mode}>
              {t(mode === 'specified' ? 'wb.bar.mode.specified' : 'wb.bar.mode.automatic')}
            </Tag>
            {autoAnswer !== undefined && (
              <Tooltip title={t('wb.bar.autoAnswer')}>
                <Tag data-testid="connection-bar-auto-answer" data-on={String(autoAnswer)}>
                  {t(autoAnswer ? 'wb.bar.autoAnswerOn' : 'wb.bar.autoAnswerOff')}
                </Tag>
              </Tooltip>
            )}
          </span>
        </div>
        <div className="conn-bar-item conn-bar-state" data-testid="connection-bar-state" data-state={state}>
          <span className="conn-bar-label">{t('wb.bar.state')}</span>
          <span className="conn-bar-state-line">
            <StateBadge state={state} contacts={status?.contacts} testId="connection-bar-activity" />
            {status && state !== 'signed_out' && <Elapsed since={status.state_since} offset={offset} testId="connection-bar-timer" />}
            {status?.reason && (state === 'busy' || state === 'rest') && (
              <Tag className="conn-bar-reason" data-testid="connection-bar-reason" data-reason={status.reason}>
                {reasonLabel(status.reason, t)}
              </Tag>
            )}
          </span>
        </div>
        <div className="conn-bar-item conn-bar-queues">
          <span className="conn-bar-label">{t('wb.bar.queues')}</span>
          <span data-testid="connection-bar-queues" data-count={signedInNames.length}>
            {signedInNames.length === 0 ? (
              <Typography.Text type="secondary">—</Typography.Text>
            ) : (
              signedInNames.map((n) => (
                <Tag key={n} className="conn-bar-queue" data-testid="connection-bar-queue">
                  {n}
                </Tag>
              ))
            )}
          </span>
        </div>
        <div className="conn-bar-item">
          <span className="conn-bar-label">{t('wb.bar.phone')}</span>
          <Tooltip
            title={
              standing.kind === 'none' ? t('wb.phone.noneHelp')
              : standing.kind === 'loading' ? undefined
              : t('wb.phone.help', { extension: standing.extension, domain: phone?.sip_domain ?? '' })
            }
          >
            <Tag
              icon={<PhoneOutlined />}
              color={standing.kind === 'registered' ? 'green' : standing.kind === 'unregistered' ? 'orange' : undefined}
              data-testid="connection-bar-phone"
              data-phone={standing.kind}
              data-devices={standing.kind === 'registered' ? standing.devices : 0}
            >
              {standing.kind === 'registered' ? t('wb.phone.registered', { n: standing.devices })
                : standing.kind === 'unregistered' ? t('wb.phone.unregistered')
                : standing.kind === 'none' ? t('wb.phone.none')
                : t('wb.phone.loading')}
            </Tag>
          </Tooltip>
          {phone?.extension && <PhoneLine phone={phone} />}
        </div>
        <div className="conn-bar-item">
          <span className="conn-bar-label">{t('wb.bar.waiting')}</span>
          <span className="conn-bar-waiting">
            <Typography.Text strong className={waiting > 0 ? 'waiting-hot' : undefined} data-testid="connection-bar-waiting" data-waiting={waiting}>
              {controls.signedIn ? waiting : '—'}
            </Typography.Text>
            {controls.signedIn && waiting > 0 && oldest && (
              <Typography.Text type="secondary" className="conn-bar-oldest">
                {t('wb.bar.longestWait')} <Elapsed since={oldest} offset={offset} testId="connection-bar-oldest" />
              </Typography.Text>
            )}
          </span>
        </div>
      </div>
      <div className="conn-bar-actions">
        <span className="conn-bar-live" data-testid="connection-bar-live" data-live={String(live)}>
          <span className={`live-dot ${live ? 'on' : 'off'}`} />
          {t(live ? 'wb.bar.liveOn' : 'wb.bar.liveOff')}
        </span>
        <Space wrap>
          {dialer && (
            <Tooltip title={dialer.block ? t(dialBlockKey(dialer.block)) : undefined}>
              <Button icon={<PhoneOutlined />} onClick={() => dialer.open()} data-testid="connection-bar-dial" data-block={dialer.block ?? ''}>
                {t('dial.open')}
              </Button>
            </Tooltip>
          )}
          {!controls.signedIn ? (
            <Button
              type="primary"
              icon={<LoginOutlined />}
              disabled={!controls.canSignIn}
              loading={pending === 'sign-in'}
              onClick={signIn}
              data-testid="connection-bar-sign-in"
            >
              {t('wb.bar.signIn')}
            </Button>
          ) : (
            <>
              {controls.showContinue && (
                <Button
                  type="primary"
                  icon={<PlayCircleOutlined />}
                  loading={pending === 'continue'}
                  onClick={() => void act('continue', () => agentApi.continueWork())}
                  data-testid="connection-bar-continue"
                >
                  {t('wb.continue')}
                </Button>
              )}
              <Button
                icon={<CheckCircleOutlined />}
                disabled={!controls.canIdle}
                loading={pending === 'idle'}
                onClick={() => void act('idle', () => agentApi.setState('idle'))}
                data-testid="state-idle"
              >
                {t('wb.bar.idle')}
              </Button>
              <ReasonButton
                state="busy"
                icon={<PauseCircleOutlined />}
                label={t('wb.bar.busy')}
                disabled={!controls.canBusy}
                loading={pending === 'busy'}
                onConfirm={(reason) => act('busy', () => agentApi.setState('busy', reason))}
              />
              <ReasonButton
                state="rest"
                icon={<CoffeeOutlined />}
                label={t('wb.bar.rest')}
                disabled={!controls.canRest}
                loading={pending === 'rest'}
                onConfirm={(reason) => act('rest', () => agentApi.setState('rest', reason))}
              />
              {controls.showResetQueues && (
                <Button
                  icon={<SwapOutlined />}
                  loading={pending === 'queues'}
                  onClick={() => {
                    setPickerError(null);
                    setPicker('reset');
                  }}
                  data-testid="connection-bar-reset-queues"
                >
                  {t('wb.bar.resetQueues')}
                </Button>
              )}
              <Tooltip title={controls.signOutBlocked ? t('error.contacts_in_progress') : undefined}>
                <Button
                  danger
                  icon={<LogoutOutlined />}
                  disabled={!controls.canSignOut}
                  loading={pending === 'sign-out'}
                  onClick={() => void act('sign-out', () => agentApi.signOut()).then(closeLine)}
                  data-testid="connection-bar-sign-out"
                >
                  {t('wb.bar.signOut')}
                </Button>
              </Tooltip>
            </>
          )}
        </Space>
      </div>
      <QueuePicker
        open={picker !== null}
        title={t(picker === 'reset' ? 'wb.queues.resetTitle' : 'wb.queues.signInTitle')}
        hint={t(picker === 'reset' ? 'wb.queues.resetHint' : 'wb.queues.signInHint')}
        queues={status?.bound_queues ?? []}
        initial={picker === 'reset' ? (status?.signed_in_queues ?? []) : []}
        okText={t(picker === 'reset' ? 'wb.queues.resetOk' : 'wb.bar.signIn')}
        confirmLoading={pending === 'sign-in' || pending === 'queues'}
        error={pickerError}
        onOk={(ids) => void onPicked(ids)}
        onCancel={() => setPicker(null)}
      />
    </div>
  );
}
