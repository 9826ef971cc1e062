// Offers that cannot be missed, on every page: a banner with each ringing offer and its Answer
// button, a phone ring for calls or a tone every few seconds for other offers and a blinking tab title while one rings. Inbound offers
// cannot be declined (R6): the banner says so instead of offering a button the server refuses.
import { useEffect, useState } from 'react';
import { App as AntApp, Button, Space, Tag, Typography } from 'antd';
import { BellOutlined, CheckOutlined } from '@ant-design/icons';
import { useLocation, useNavigate } from 'react-router-dom';
import { contactsApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { Contact } from '../api/types';
import { useT } from '../i18n';
import { Countdown } from '../components/Timers';
import { setTitleAlert } from '../util/title';
import { beep } from './chat/alerts';
import { contactHeadline, ringingOffers, RING_EVERY_MS } from './model';
import { CHANNEL_COLORS } from './QueuePicker';
import { callRinging, ringFor } from './ringtone';
import type { AgentStatusHandle } from './useAgentStatus';

/**
 * While offers ring: the blinking title naming the first one's channel, and a sound — the phone
 * ring while a call rings (until it is answered, withdrawn or rings out), else the offer beep
 * every few seconds.
 */
function useRinging(offers: readonly Contact[]) {
  const t = useT();
  const channel = offers[0]?.channel;
  const call = callRinging(offers);
  useEffect(() => {
    ringFor(call);
  }, [call]);
  useEffect(() => () => ringFor(false), []);
  useEffect(() => {
    if (!channel) return;
    setTitleAlert(t('wb.offer.ringTitle', { channel: t(`channel.${channel}`) }));
    const ring = call ? null : setInterval(() => beep('offer'), RING_EVERY_MS);
    return () => {
      if (ring) clearInterval(ring);
      setTitleAlert(null);
    };
  }, [channel, call, t]);
}

export default function OfferBanner({ agent }: { agent: AgentStatusHandle }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const onWorkbench = useLocation().pathname.startsWith('/workbench');
  const offers = ringingOffers(agent.status);
  const [answering, setAnswering] = useState<string | null>(null);
  useRinging(offers);
  if (offers.length === 0) return null;

  const answer = async (c: Contact) => {
    setAnswering(c.id);
    try {
      await contactsApi.answer(c.id);
      if (!onWorkbench) navigate('/workbench');
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setAnswering(null);
      void agent.refresh();
    }
  };

  return (
    <div className="offer-banner" role="alert" data-testid="offer-banner" data-count={offers.length}>
      {offers.map((c) => (
        <div key={c.id} className="offer-banner-row" data-testid="offer-banner-item" data-contact-id={c.id} data-channel={c.channel}>
          <Space size={8} wrap className="offer-banner-info">
            <BellOutlined className="offer-ring" />
            <Typography.Text strong>{t('activity.ringingTag', { channel: t(`channel.${c.channel}`) })}</Typography.Text>
            <Tag color={CHANNEL_COLORS[c.channel]} bordered={false}>
              {t(`channel.${c.channel}`)}
            </Tag>
            <Typography.Text ellipsis className="offer-banner-headline">
              {contactHeadline(c)}
            </Typography.Text>
            <Typography.Text type="secondary">
              {t('wb.offer.expiresIn')} <Countdown until={c.offer_expires_at} offset={agent.offset} />
            </Typography.Text>
          </Space>
          <Space size={8}>
            <Typography.Text type="secondary" className="offer-banner-note">
              {t('wb.offer.cannotDecline')}
            </Typography.Text>
            <Button type="primary" icon={<CheckOutlined />} loading={answering === c.id} onClick={() => void answer(c)} data-testid="offer-banner-answer">
              {t('wb.offer.answer')}
            </Button>
          </Space>
        </div>
      ))}
    </div>
  );
}
