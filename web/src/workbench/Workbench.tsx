// The agent workbench: the connection bar and the work area with my contacts (offers first). The
// live status comes from the app-wide AgentProvider, which also rings and shows offers on every page.
import { useMemo } from 'react';
import { Alert, Button, Col, Empty, Row, Spin, Typography } from 'antd';
import { useAuth } from '../auth/AuthContext';
import { errorText } from '../api/errors';
import type { Me } from '../api/types';
import { useT } from '../i18n';
import { useAgent } from './AgentContext';
import ConnectionBar from './ConnectionBar';
import { ContactCard, OfferCard } from './ContactCards';
import { contactsIn, waitingSummary } from './model';
import ChatWorkbench from './chat/ChatWorkbench';
import ServiceList from './ServiceList';
import type { AgentStatusHandle } from './useAgentStatus';
import MyDay from '../timeline/MyDay';

export default function Workbench() {
  const { me } = useAuth();
  const agent = useAgent();
  if (!me || !agent) return null;
  return <WorkbenchFor me={me} agent={agent} />;
}

function WorkbenchFor({ me, agent }: { me: Me; agent: AgentStatusHandle }) {
  const t = useT();
  const { status } = agent;

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
      <MyDay name={me.display_name || me.login} />
      <div className={`work-area${chats.length > 0 ? ' work-area-chat' : ''}`} data-testid="work-area">
        {body}
      </div>
      <div style={{ marginTop: 16 }}>
        <ServiceList />
      </div>
    </div>
  );
}
