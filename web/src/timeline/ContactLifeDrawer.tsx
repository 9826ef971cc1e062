// A contact's whole life (X3): queued, offered to whom, rang out, answered, held, transferred,
// released, wrap-up, closed, and the customer's rating, step by step in the user's words.
import { useEffect, useState } from 'react';
import { Alert, Descriptions, Drawer, Rate, Spin, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { reportsApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { ContactLife } from '../api/types';
import { useT } from '../i18n';
import { stepColor, stepWords } from './model';

export default function ContactLifeDrawer({ contactId, onClose }: { contactId: string | null; onClose: () => void }) {
  const t = useT();
  const [life, setLife] = useState<ContactLife | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    setLife(null);
    setError(null);
    if (!contactId) return;
    let live = true;
    reportsApi.contactLife(contactId).then(
      (x) => live && setLife(x),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [contactId]);

  return (
    <Drawer open={contactId !== null} onClose={onClose} width={520} title={t('life.title')} data-testid="life-drawer">
      {error != null && <Alert type="error" showIcon message={errorText(error, t)} />}
      {!life && error == null && <Spin />}
      {life && (
        <>
          <Descriptions size="small" column={1} style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('queues.channel')}>{t(`channel.${life.channel}`)}</Descriptions.Item>
            <Descriptions.Item label={t('life.rating')}>
              {life.rating != null ? <Rate disabled value={life.rating} data-testid="life-rating" /> : t('life.noRating')}
            </Descriptions.Item>
          </Descriptions>
          <Timeline
            data-testid="life-steps"
            items={life.steps.map((s, i) => {
              const words = stepWords(s);
              return {
                key: i,
                color: stepColor(s),
                children: (
                  <div data-testid="life-step" data-kind={s.kind}>
                    <Typography.Text type="secondary">{dayjs(s.at).format('YYYY-MM-DD HH:mm:ss')}</Typography.Text>{' '}
                    <Typography.Text strong>{words.title ? t(words.title) : s.kind}</Typography.Text>
                    {s.agent_name && <Tag style={{ marginLeft: 8 }}>{s.agent_name}</Tag>}
                    {words.notes.map((k) => (
                      <Tag key={k} color="default">
                        {t(k)}
                      </Tag>
                    ))}
                  </div>
                ),
              };
            })}
          />
        </>
      )}
    </Drawer>
  );
}
