// The screen pop of a call (V3), inside its offer and contact cards: the number and where it
// belongs, the customer's name where the records know it, the IVR path and keyed-in variables,
// and the caller's latest 3 earlier contacts, a call's opening its record.
import { useEffect, useState } from 'react';
import { Alert, Descriptions, Empty, Space, Spin, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { contactsApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { CallerInfo } from '../api/types';
import { localTime } from '../calls/model';
import { useI18n } from '../i18n';
import { ivrVariables, locationText, pastRows } from './caller';
import { CHANNEL_COLORS } from './QueuePicker';
import { CustomerBriefView } from '../customers/CustomerBriefView';

/** Fetches the pop once per contact (its content does not change while the call lasts). */
function useCaller(contactId: string): { info: CallerInfo | null; error: unknown } {
  const [state, setState] = useState<{ id: string; info: CallerInfo | null; error: unknown }>({ id: contactId, info: null, error: null });
  useEffect(() => {
    let live = true;
    contactsApi.caller(contactId).then(
      (info) => live && setState({ id: contactId, info, error: null }),
      (error: unknown) => live && setState({ id: contactId, info: null, error }),
    );
    return () => {
      live = false;
    };
  }, [contactId]);
  return state.id === contactId ? state : { info: null, error: null };
}

/** `outbound`: a call the agent placed — its number is the customer's, and it took no IVR path. */
export default function CallerCard({ contactId, outbound = false }: { contactId: string; outbound?: boolean }) {
  const { t, lang } = useI18n();
  const { info, error } = useCaller(contactId);
  if (error != null) return <Alert type="warning" showIcon message={errorText(error, t)} data-testid="caller-error" />;
  if (!info) return <Spin size="small" />;
  const place = locationText(info.location, lang);
  const vars = ivrVariables(info.ivr_variables);
  const rows = pastRows(info.recent);
  return (
    <div className="caller-card" data-testid="caller-card" data-contact-id={contactId}>
      <Descriptions size="small" column={{ xs: 1, sm: 2, xl: 3 }} className="contact-fields">
        <Descriptions.Item label={t(outbound ? 'dial.number' : 'pop.number')}>
          <Typography.Text strong copyable data-testid="caller-number">
            {info.number}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('pop.location')}>
          <span data-testid="caller-location">{place ?? t('pop.unknownLocation')}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('pop.name')}>
          <span data-testid="caller-name">{info.name ?? t('pop.unknownName')}</span>
          {info.name_source && (
            <Typography.Text type="secondary"> ({t(info.name_source === 'ticket' ? 'pop.nameFrom.ticket' : 'pop.nameFrom.chat_customer')})</Typography.Text>
          )}
        </Descriptions.Item>
        {!outbound && (
          <Descriptions.Item label={t('pop.ivrPath')} span={2}>
            <span data-testid="caller-ivr-path">{info.ivr_path || t('pop.noIvr')}</span>
          </Descriptions.Item>
        )}
        {vars.length > 0 && (
          <Descriptions.Item label={t('pop.variables')}>
            <Space wrap size={4} data-testid="caller-variables">
              {vars.map((v) => (
                <Tag key={v.name}>
                  {v.name} = {v.value}
                </Tag>
              ))}
            </Space>
          </Descriptions.Item>
        )}
      </Descriptions>
      <CustomerBriefView brief={info.customer} />
      <Typography.Text strong>{t('pop.recent')}</Typography.Text>
      {rows.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('pop.noRecent')} />
      ) : (
        <ul className="caller-recent" data-testid="caller-recent">
          {rows.map((r) => (
            <li key={r.id} data-testid="caller-recent-item">
              <Space size={6} wrap>
                <Typography.Text type="secondary">{localTime(r.at)}</Typography.Text>
                <Tag color={CHANNEL_COLORS[r.channel]} bordered={false}>
                  {t(`channel.${r.channel}`)}
                </Tag>
                <span>{r.queue}</span>
                <span>· {r.agent}</span>
                {r.disposition && <Tag color="blue">{r.disposition}</Tag>}
                <Typography.Text ellipsis style={{ maxWidth: 320 }}>
                  {r.what ?? (r.outcome ? t(r.outcome) : '—')}
                </Typography.Text>
                {r.href && <Link to={r.href}>{t('pop.open')}</Link>}
              </Space>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
