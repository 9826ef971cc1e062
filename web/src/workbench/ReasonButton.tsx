// A busy/rest button whose popover takes an optional reason: a preset or typed text.
import { useState, type ReactNode } from 'react';
import { Button, Input, Popover, Space, Tag, Typography } from 'antd';
import { useT } from '../i18n';
import { REASON_MAX, REASON_PRESETS } from './model';

interface Props {
  state: 'busy' | 'rest';
  icon: ReactNode;
  label: string;
  disabled: boolean;
  loading: boolean;
  onConfirm: (reason?: string) => Promise<boolean>;
}

export default function ReasonButton({ state, icon, label, disabled, loading, onConfirm }: Props) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [preset, setPreset] = useState<string | null>(null);
  const [text, setText] = useState('');

  const reset = () => {
    setPreset(null);
    setText('');
  };
  const submit = async () => {
    const reason = text.trim() || preset || undefined;
    if (await onConfirm(reason)) {
      setOpen(false);
      reset();
    }
  };

  const content = (
    <div className="reason-popover" data-testid={`reason-popover-${state}`}>
      <Typography.Text type="secondary">{t('wb.reason.optional')}</Typography.Text>
      <div className="reason-presets">
        {REASON_PRESETS.map((r) => (
          <Tag.CheckableTag
            key={r}
            checked={preset === r && !text.trim()}
            onChange={(on) => {
              setPreset(on ? r : null);
              if (on) setText('');
            }}
            data-testid={`reason-preset-${r}`}
          >
            {t(`wb.reason.${r}`)}
          </Tag.CheckableTag>
        ))}
      </div>
      <Input
        size="small"
        maxLength={REASON_MAX}
        placeholder={t('wb.reason.placeholder')}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onPressEnter={() => void submit()}
        data-testid={`reason-input-${state}`}
      />
      <Space style={{ marginTop: 10, justifyContent: 'flex-end', width: '100%' }}>
        <Button size="small" onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </Button>
        <Button size="small" type="primary" loading={loading} onClick={() => void submit()} data-testid={`reason-confirm-${state}`}>
          {t('wb.reason.confirm', { state: label })}
        </Button>
      </Space>
    </div>
  );

  return (
    <Popover
      trigger="click"
      open={open && !disabled}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) reset();
      }}
      content={content}
      title={label}
      placement="bottomRight"
    >
      <Button icon={icon} disabled={disabled} data-testid={`state-${state}`}>
        {label}
      </Button>
    </Popover>
  );
}
