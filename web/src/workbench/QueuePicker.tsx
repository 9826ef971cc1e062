// Dialog to choose skill queues among the bound ones: specified sign-in and "reset skill queues".
import { useState } from 'react';
import { Alert, Button, Checkbox, Empty, Modal, Space, Tag, Typography } from 'antd';
import type { BoundQueue, Channel } from '../api/types';
import { useT } from '../i18n';
import { tid } from '../util/testid';

export const CHANNEL_COLORS: Record<Channel, string> = { voice: 'blue', video: 'purple', chat: 'green', task: 'orange' };

interface Props {
  open: boolean;
  title: string;
  hint: string;
  queues: BoundQueue[];
  /** Checked when the dialog opens. */
  initial: string[];
  okText: string;
  confirmLoading: boolean;
  error?: string | null;
  onOk: (ids: string[]) => void;
  onCancel: () => void;
}

export default function QueuePicker({ open, title, hint, queues, initial, okText, confirmLoading, error, onOk, onCancel }: Props) {
  const t = useT();
  const [checked, setChecked] = useState<string[]>(initial);
  const [touched, setTouched] = useState(false);
  // Reset when the dialog opens (adjusting state during render, not in an effect).
  const [wasOpen, setWasOpen] = useState(false);
  if (open !== wasOpen) {
    setWasOpen(open);
    if (open) {
      setChecked(initial.filter((id) => queues.some((q) => q.id === id)));
      setTouched(false);
    }
  }

  const none = checked.length === 0;
  const all = queues.length > 0 && checked.length === queues.length;
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onCancel}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onCancel} {...tid('queue-picker-cancel')}>
          {t('common.cancel')}
        </Button>,
        <Button
          key="ok"
          type="primary"
          loading={confirmLoading}
          disabled={queues.length === 0}
          onClick={() => {
            setTouched(true);
            if (!none) onOk(checked);
          }}
          {...tid('queue-picker-ok')}
        >
          {okText}
        </Button>,
      ]}
    >
      <div data-testid="queue-picker">
        <Typography.Paragraph type="secondary">{hint}</Typography.Paragraph>
        {queues.length === 0 ? (
          <Empty description={t('wb.queues.noneBound')} />
        ) : (
          <>
            <Checkbox
              indeterminate={!none && !all}
              checked={all}
              onChange={(e) => setChecked(e.target.checked ? queues.map((q) => q.id) : [])}
              data-testid="queue-picker-all"
            >
              {t('wb.queues.all')}
            </Checkbox>
            <Checkbox.Group value={checked} onChange={(v) => setChecked(v)} style={{ display: 'block', marginTop: 8 }}>
              <Space direction="vertical" style={{ width: '100%' }}>
                {queues.map((q) => (
                  <div key={q.id} className="queue-option">
                    <Checkbox value={q.id} data-testid={`queue-option-${q.name}`}>
                      <span className="queue-option-name">{q.name}</span>
                    </Checkbox>
                    <Space size={4}>
                      <Tag color={CHANNEL_COLORS[q.channel]}>{t(`channel.${q.channel}`)}</Tag>
                      <Typography.Text type="secondary">{t('wb.queues.level', { n: q.skill_level })}</Typography.Text>
                    </Space>
                  </div>
                ))}
              </Space>
            </Checkbox.Group>
          </>
        )}
        {touched && none && queues.length > 0 && (
          <Alert type="warning" showIcon style={{ marginTop: 12 }} message={t('wb.queues.pickOne')} data-testid="queue-picker-none" />
        )}
        {error && <Alert type="error" showIcon style={{ marginTop: 12 }} message={error} data-testid="queue-picker-error" />}
      </div>
    </Modal>
  );
}
