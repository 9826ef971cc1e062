// The soft keypad of a connected call (V9): a popover of phone keys, each press sent to the far
// end as DTMF (e.g. to walk another company's IVR), with the keys sent so far.
import { useRef, useState, type KeyboardEvent } from 'react';
import { App as AntApp, Button, Popover, Typography } from 'antd';
import { NumberOutlined } from '@ant-design/icons';
import { contactsApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import { useT } from '../i18n';
import { KEYPAD_KEYS, keypadKeyOf, shownSent, type KeypadKey } from './callControl';

/** The keypad button and its popover for one call; keyed by the contact, so `sent` is that call's. */
export default function KeypadButton({ contactId, disabled }: { contactId: string; disabled?: boolean }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [open, setOpen] = useState(false);
  const [sent, setSent] = useState('');
  // Presses go out one after another: requests racing each other could reach the caller out of order.
  const queue = useRef<Promise<void>>(Promise.resolve());

  const press = (key: KeypadKey) => {
    queue.current = queue.current.then(async () => {
      try {
        await contactsApi.digits(contactId, { digits: key });
        setSent((s) => s + key);
      } catch (e) {
        message.error(errorText(e, t));
      }
    });
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const key = keypadKeyOf(e.key);
    if (!key) return;
    e.preventDefault();
    press(key);
  };

  const content = (
    // Typing on the keyboard works too while the pad has the focus.
    <div className="keypad" tabIndex={-1} onKeyDown={onKeyDown} data-testid="keypad">
      <div className="keypad-sent">
        <Typography.Text type="secondary">{t('wb.call.keypad.sent')}</Typography.Text>
        <Typography.Text strong className="keypad-sent-keys" data-testid="keypad-sent" data-keys={sent}>
          {sent ? shownSent(sent) : ''}
        </Typography.Text>
        {!sent && <Typography.Text type="secondary">{t('wb.call.keypad.none')}</Typography.Text>}
      </div>
      <div className="keypad-keys">
        {KEYPAD_KEYS.map((k) => (
          <Button key={k} size="large" className="keypad-key" onClick={() => press(k)} data-testid={`keypad-key-${k}`}>
            {k}
          </Button>
        ))}
      </div>
    </div>
  );

  return (
    <Popover open={open && !disabled} onOpenChange={setOpen} trigger="click" placement="bottom" title={t('wb.call.keypad.title')} content={content}>
      <Button icon={<NumberOutlined />} disabled={disabled} data-testid="contact-keypad" aria-expanded={open && !disabled}>
        {t('wb.call.keypad')}
      </Button>
    </Popover>
  );
}
