// The signed-in agent's live status, kept once for the whole app (every page, not only the
// workbench): the workbench reads it from here, and the offer banner, the ring tone, the blinking
// title and the notices of missed or ended contacts work on whatever page the agent is on.
import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';
import { App as AntApp } from 'antd';
import type { Channel, Contact, LiveEvent, Me } from '../api/types';
import { useI18n, type Lang, type TFunc } from '../i18n';
import { contactsApi } from '../api/endpoints';
import { callNoticeBody, releaseNoticeKey } from './caller';
import { beep } from './chat/alerts';
import { contactHeadline, forcedNotice, missedOfferKey, newOffers } from './model';
import { notifyIfHidden } from './notify';
import { DialerProvider } from './Dialer';
import OfferBanner from './OfferBanner';
import { useAgentStatus, type AgentStatusHandle } from './useAgentStatus';

const AgentContext = createContext<AgentStatusHandle | null>(null);

/** My live agent status; null outside an {@link AgentProvider} (users without `agent.work`). */
export function useAgent(): AgentStatusHandle | null {
  return useContext(AgentContext);
}

export function AgentProvider({ me, children }: { me: Me; children: ReactNode }) {
  const { t, lang } = useI18n();
  const { message, notification } = AntApp.useApp();
  // The channel of every contact seen, so that a missed offer's notice can name it (the event does not).
  const channels = useRef(new Map<string, Channel>());
  const onEvent = (e: LiveEvent) => {
    if (e.agent_id !== me.id) return;
    if (e.type === 'agent.forced') {
      // Stays until read: a supervisor changed my state.
      const { title, reason } = forcedNotice(e, t);
      notification.warning({ key: 'agent-forced', message: <span data-testid="forced-notice">{title}</span>, description: reason, duration: 0 });
    } else if (e.type === 'contact.offer_timeout') message.warning(t(missedOfferKey(channels.current.get(String(e.contact_id)))));
    else if (e.type === 'contact.wrap_up') {
      // A call released by its caller, or ended otherwise; other channels only when not by me.
      const key = releaseNoticeKey(channels.current.get(String(e.contact_id)), e.released_by);
      if (key) message.info({ content: <span data-testid="release-notice">{t(key)}</span> });
    }
  };
  const agent = useAgentStatus(me.id, onEvent);
  const { status } = agent;

  // A new offer sounds at once and shows a browser notification while the tab is hidden (S5).
  const seen = useRef<Set<string>>(new Set());
  useEffect(() => {
    if (!status) return;
    for (const c of status.contacts) channels.current.set(c.id, c.channel);
    const { fresh, seen: next } = newOffers(seen.current, status.contacts);
    seen.current = next;
    // A call rings on its own (OfferBanner); other offers beep once at once.
    if (fresh.some((c) => c.channel !== 'voice')) beep('offer');
    for (const c of fresh) {
      if (c.channel === 'voice') notifyCall(c, t, lang);
      else notifyIfHidden(t('wb.offer.notifyTitle', { channel: t(`channel.${c.channel}`) }), contactHeadline(c), c.id);
    }
  }, [status, t, lang]);

  return (
    <AgentContext.Provider value={agent}>
      <OfferBanner agent={agent} />
      <DialerProvider me={me} agent={agent}>
        {children}
      </DialerProvider>
    </AgentContext.Provider>
  );
}

/** A ringing call's browser notification: who calls and from where (the screen pop's data). */
function notifyCall(c: Contact, t: TFunc, lang: Lang): void {
  contactsApi.caller(c.id).then(
    (info) => notifyIfHidden(t('wb.call.notifyTitle'), callNoticeBody(info, lang), c.id),
    () => notifyIfHidden(t('wb.call.notifyTitle'), contactHeadline(c), c.id),
  );
}
