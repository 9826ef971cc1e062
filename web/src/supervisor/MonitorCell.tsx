// A wallboard row's monitor buttons (P3): listen, whisper, barge and stop on the agent's
// connected call, the mode I am in highlighted. The first one calls my own phone.
import { Button, Space, Tag, Tooltip } from 'antd';
import { AudioOutlined, EyeOutlined, MessageOutlined, StopOutlined } from '@ant-design/icons';
import type { LiveAgent, MonitorMode } from '../api/types';
import { useT, type MessageKey } from '../i18n';
import { MONITOR_MODES, onCall } from './monitor';
import type { MonitoringHandle } from './useMonitoring';

const ICONS: Record<MonitorMode, React.ReactNode> = {
  listen: <EyeOutlined />,
  whisper: <MessageOutlined />,
  barge: <AudioOutlined />,
};
const HINTS: Record<MonitorMode, MessageKey> = {
  listen: 'sv.monitor.listenHint',
  whisper: 'sv.monitor.whisperHint',
  barge: 'sv.monitor.bargeHint',
};
const MODE_COLORS: Record<MonitorMode, string> = { listen: 'blue', whisper: 'gold', barge: 'red' };

export default function MonitorCell({ agent, monitoring }: { agent: LiveAgent; monitoring: MonitoringHandle }) {
  const t = useT();
  if (!onCall(agent)) return <span>—</span>;
  const { mine, other } = monitoring.rowOf(agent);
  const busy = monitoring.busy === agent.id;
  const login = agent.login;
  return (
    <span className="monitor-cell">
      <span data-testid={`monitor-mode-${login}`} data-mode={mine ?? (other ? 'other' : 'none')}>
        {mine && <Tag color={MODE_COLORS[mine]}>{t(`sv.monitor.mode.${mine}`)}</Tag>}
        {!mine && other && <Tag>{t('sv.monitor.other')}</Tag>}
      </span>
      <Space.Compact size="small">
        {MONITOR_MODES.map((mode) => (
          <Tooltip
            key={mode}
            title={
              <>
                {t(HINTS[mode])}
                {!mine && (
                  <>
                    <br />
                    {t('sv.monitor.phoneHint')}
                  </>
                )}
              </>
            }
          >
            <Button
              size="small"
              type={mine === mode ? 'primary' : 'default'}
              icon={ICONS[mode]}
              disabled={busy}
              aria-pressed={mine === mode}
              onClick={() => void monitoring.act(agent, mode)}
              data-testid={`monitor-${mode}-${login}`}
            >
              {t(`sv.monitor.${mode}`)}
            </Button>
          </Tooltip>
        ))}
        {/* Not only when I know I am on it: after a reload the page does not know until it asks. */}
        <Button size="small" danger icon={<StopOutlined />} disabled={busy} onClick={() => void monitoring.act(agent, null)} data-testid={`monitor-stop-${login}`}>
          {t('sv.monitor.stop')}
        </Button>
      </Space.Compact>
    </span>
  );
}
