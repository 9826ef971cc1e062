// The agent workbench: the connection bar and the work area with my contacts (offers first).
import { useEffect, useMemo, useRef } from 'react';
import { Alert, App as AntApp, Button, Col, Empty, Row, Spin, Typography } from 'antd';
import { useAuth } from '../auth/AuthContext';
import { errorText } from '../api/errors';
import type { Channel, LiveEvent, Me } from '../api/types';
import { useT } from '../i18n';
import ConnectionBar from './ConnectionBar';
import { ContactCard, OfferCard } from './ContactCards';
import { contactHeadline, contactsIn, missedOfferKey, newOffers, waitingSummary } from './model';
import { notifyIfHidden } from './notify';
import { beep } from './chat/alerts';
import ChatWorkbench from './chat/ChatWorkbench';
import { useAgentStatus } from './useAgentStatus';

export default function Workbench() {
  const { me } = useAuth();
  if (!me) return null;
  return <WorkbenchFor me={me} />;
}

function WorkbenchFor({ me }: { me: Me }) {
  const t = useT();
  const { message } = AntApp.useApp();

  // The channel of every contact seen, so that a missed offer's notice can name it (the event does not).
  const channels = useRef(new Map<string, Channel>());
  const onEvent = (e: LiveEvent) => {
    if (e.agent_id !== me.id) return;
    if (e.type === 'contact.offer_timeout') message.warning(t(missedOfferKey(channels.current.get(String(e.contact_id)))));
    else if (e.type === 'contact.wrap_up' && e.released_by !== 'agent') message.info(t(e.released_by === 'customer' ? 'wb.contact.releasedByCustomer' : 'wb.contact.releasedBySystem'));
  };
  const agent = useAgentStatus(me.id, onEvent);
  const { status } = agent;

  // Notify offers that arrive while the tab is hidden (S5).
  const seen = useRef<Set<string>>(new Set());
  useEffect(() => {
    if (!status) return;
    for (const c of status.contacts) channels.current.set(c.id, c.channel);
    const { fresh, seen: next } = newOffers(seen.current, status.contacts);
    seen.current = next;
    if (fresh.length > 0) beep('offer');
    for (const c of fresh) notifyIfHidden(t('wb.offer.notifyTitle', { channel: t(`channel.${c.channel}`) }), contactHeadline(c), c.id);
  }, [status, t]);

  // Chats get the chat workbench; calls and tasks keep their cards.
  const chats = useMemo(() => contactsIn(status, 'offered', 'connected', 'wrap_up').filter((c) => c.channel === 'chat'), [status]);
  const offers = contactsIn(status, 'offered').filter((c) => c.channel !== 'chat');
  const working = contactsIn(status, 'connected', 'wrap_up').filter((c) => c.channel !== 'chat');

  let body;
  if (!status) {
    body = agent.loadError ? (
      <Alert
        type="error"
        showIcon
        message={errorText(agent.loadError, t)}
        action={<Button onClick={() => void agent.refresh()}>{t('common.refresh')}</Button>}
        data-testid="workbench-error"
      />
    ) : (
      <div className="work-empty">
        <Spin />
      </div>
    );
  } else if (offers.length === 0 && working.length === 0 && chats.length === 0) {
    const signedIn = status.state !== 'signed_out';
    const { waiting } = waitingSummary(status);
    body = (
      <div className="work-empty">
        <Empty
          data-testid="work-empty"
          description={
            <>
              <Typography.Title level={5} style={{ marginBottom: 4 }}>
                {t(signedIn ? 'wb.emptyTitle' : 'wb.signedOutTitle')}
              </Typography.Title>
              <Typography.Text type="secondary">
                {signedIn ? t(status.state === 'idle' ? 'wb.emptyIdle' : 'wb.emptyNotIdle', { n: waiting }) : t('wb.emptyDesc')}
              </Typography.Text>
            </>
          }
        />
      </div>
    );
  } else {
    // Offers on top; one contact in work takes the full width, several share it two by two.
    const half = working.length > 1;
    const cards = offers.length + working.length > 0 && (
      <Row gutter={[16, 16]}>
        {offers.map((c) => (
          <Col key={c.id} xs={24} xl={offers.length > 1 ? 12 : 24}>
            <OfferCard contact={c} agent={agent} />
          </Col>
        ))}
        {working.map((c) => (
          <Col key={c.id} xs={24} xl={half ? 12 : 24}>
            <ContactCard contact={c} agent={agent} compact={half} />
          </Col>
        ))}
      </Row>
    );
    body = (
      <>
        {cards}
        {chats.length > 0 && (
          <div className={cards ? 'cw-after-cards' : undefined}>
            <ChatWorkbench me={me} agent={agent} contacts={chats} />
          </div>
        )}
      </>
    );
  }

  return (
    <div data-testid="workbench">
      <ConnectionBar me={me} agent={agent} />
      <div className={`work-area${chats.length > 0 ? ' work-area-chat' : ''}`} data-testid="work-area">
        {body}
      </div>
    </div>
  );
}
