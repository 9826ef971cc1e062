// The standing line switch beside the phone indicator (persistent connection, V15): on, the
// server calls the agent's phone once and keeps it up, so Answer in the workbench answers calls
// on it; the choice is remembered in this browser and the line reopened at each sign-in.
import { useEffect, useRef, useState } from 'react';
import { App as AntApp, Switch, Tag, Tooltip } from 'antd';
import type { AgentPhone } from '../api/types';
import { voiceApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import { useT } from '../i18n';
import { setKeepLinePreferred } from './phone';

export default function PhoneLine({ phone }: { phone: AgentPhone }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const line = phone.line;
  const was = useRef(line);

  useEffect(() => {
    // The phone hung the line up (not us): say so.
    if (was.current === 'up' && line === 'off' && !busy) message.warning(t('wb.phone.lineDown'));
    was.current = line;
  }, [line, busy, message, t]);

  const toggle = async (on: boolean) => {
    setBusy(true);
    try {
      if (on) await voiceApi.openLine();
      else await voiceApi.closeLine();
      setKeepLinePreferred(on);
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Tooltip title={t('wb.phone.lineHelp')}>
      <span className="conn-bar-line" data-testid="connection-bar-line" data-line={line}>
        <Switch
          size="small"
          checked={line !== 'off'}
          loading={busy || line === 'calling'}
          disabled={phone.registered_devices <= 0 && line === 'off'}
          onChange={(on) => void toggle(on)}
          aria-label={t('wb.phone.line')}
        />{' '}
        {line === 'up' ? <Tag color="green">{t('wb.phone.lineUp')}</Tag>
          : line === 'calling' ? <Tag color="blue">{t('wb.phone.lineCalling')}</Tag>
          : <span className="conn-bar-line-label">{t('wb.phone.line')}</span>}
      </span>
    </Tooltip>
  );
}
