// The consult in progress on my call's card (V6): who I am calling or talking with (a colleague,
// or an outside number shown as the number), and the way on — a three-way call (once they
// answered), the attended transfer, or back to the customer.
import { useState } from 'react';
import { App as AntApp, Button, Space, Tag, Tooltip, Typography } from 'antd';
import { CloseCircleOutlined, SwapOutlined, TeamOutlined } from '@ant-design/icons';
import { contactsApi } from '../api/endpoints';
import { ApiError } from '../api/client';
import { errorText } from '../api/errors';
import type { Contact } from '../api/types';
import { useT } from '../i18n';
import { consultButtons, consultEndLabel, consultJoinHint, consultStateText, consultTargetName } from './consult';
import type { AgentStatusHandle } from './useAgentStatus';
import type { ConsultHandle } from './useConsult';

type Step = 'join' | 'complete' | 'end';

const PHASE_COLOR = { ringing: 'processing', consulting: 'purple', conference: 'geekblue' } as const;

export default function ConsultBar({ contact, agent, consult }: { contact: Contact; agent: AgentStatusHandle; consult: ConsultHandle }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [pending, setPending] = useState<Step | null>(null);
  const { state, dispatch, leaving } = consult;
  const line = consultStateText(state);
  if (!line || state.phase === 'idle') return null;
  const buttons = consultButtons(state.phase);
  const name = consultTargetName(line.target, t);
  const kind = line.target?.kind ?? 'agent';

  const step = async (what: Step) => {
    setPending(what);
    if (what !== 'join') leaving.current = true;
    try {
      if (what === 'join') {
        await contactsApi.consultJoin(contact.id);
        dispatch({ type: 'joined' });
      } else if (what === 'end') {
        await contactsApi.consultEnd(contact.id);
        dispatch({ type: 'ended' });
      } else {
        await contactsApi.consultComplete(contact.id);
        dispatch({ type: 'ended' });
        message.success(t('wb.call.consult.completed', { name }));
        // The contact is the colleague's now: my card goes with the next `GET /agent`.
        void agent.refresh();
      }
    } catch (e) {
      leaving.current = false;
      if (e instanceof ApiError) dispatch({ type: 'conflict', code: e.code, action: what });
      message.error(errorText(e, t));
    } finally {
      setPending(null);
    }
  };

  return (
    <div className="consult-bar" data-testid="contact-consult" data-phase={state.phase}>
      <Space wrap>
        <Tag color={PHASE_COLOR[state.phase]} icon={<TeamOutlined />} data-testid="contact-consult-state" data-phase={state.phase} data-kind={kind}>
          {t(line.key, { name })}
        </Tag>
        {state.phase !== 'conference' && <Typography.Text type="secondary">{t('wb.call.consult.customerWaits')}</Typography.Text>}
      </Space>
      <Space wrap className="consult-actions">
        <Tooltip title={state.phase === 'ringing' ? t(consultJoinHint(kind)) : undefined}>
          <Button
            icon={<TeamOutlined />}
            disabled={!buttons.join || (pending !== null && pending !== 'join')}
            loading={pending === 'join'}
            onClick={() => void step('join')}
            data-testid="contact-consult-join"
          >
            {t('wb.call.consult.join')}
          </Button>
        </Tooltip>
        <Button
          type="primary"
          icon={<SwapOutlined />}
          disabled={!buttons.complete || (pending !== null && pending !== 'complete')}
          loading={pending === 'complete'}
          onClick={() => void step('complete')}
          data-testid="contact-consult-complete"
        >
          {t('wb.call.consult.complete')}
        </Button>
        <Button
          danger
          icon={<CloseCircleOutlined />}
          disabled={!buttons.end || (pending !== null && pending !== 'end')}
          loading={pending === 'end'}
          onClick={() => void step('end')}
          data-testid="contact-consult-end"
        >
          {t(consultEndLabel(state.phase, kind))}
        </Button>
      </Space>
    </div>
  );
}
