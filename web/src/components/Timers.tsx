import { Badge, Tag } from 'antd';
import type { AgentState } from '../api/types';
import { useT } from '../i18n';
import { elapsedSeconds, formatDuration, remainingSeconds } from '../util/time';
import { useNow } from '../util/useNow';
import { activity, STATE_COLORS, type HeldContact } from '../workbench/model';

/** A running `mm:ss` since `since`, on the server's clock. */
export function Elapsed({ since, offset, testId }: { since: string | null | undefined; offset: number; testId?: string }) {
  const now = useNow();
  const s = elapsedSeconds(since, offset, now);
  return (
    <span className="timer" data-testid={testId} data-seconds={s ?? ''}>
      {formatDuration(s)}
    </span>
  );
}

/** Seconds left until `until`, on the server's clock. */
export function Countdown({ until, offset, testId }: { until: string | null | undefined; offset: number; testId?: string }) {
  const now = useNow(250);
  const s = remainingSeconds(until, offset, now);
  return (
    <span className="timer" data-testid={testId} data-seconds={s ?? ''}>
      {formatDuration(s)}
    </span>
  );
}

/** The ringing colour: an offer waits for an answer. */
const RINGING_COLOR = '#eb2f96';

/**
 * The coloured state badge used by the connection bar and the wallboard. With the agent's
 * contacts it names the channel ("on a chat", "on a call") and says "ringing" while an offer
 * rings; offers ringing beside a connected contact get a tag of their own.
 */
export function StateBadge({ state, contacts = [], testId }: { state: AgentState; contacts?: readonly HeldContact[]; testId?: string }) {
  const t = useT();
  const a = activity(state, contacts);
  const ringing = a.label === 'activity.ringing';
  return (
    <span className="state-badge" data-testid={testId} data-state={state} data-activity={ringing ? `ringing-${a.channel}` : a.label.replace(/^(state|activity)\./, '')}>
      <Badge color={ringing ? RINGING_COLOR : STATE_COLORS[state]} status={ringing ? 'processing' : undefined} text={t(a.label, a.channel ? { channel: t(`channel.${a.channel}`) } : undefined)} />
      {a.ringing.map((ch) => (
        <Tag key={ch} color="magenta" className="state-ringing" data-testid="state-ringing" data-channel={ch}>
          {t('activity.ringingTag', { channel: t(`channel.${ch}`) })}
        </Tag>
      ))}
    </span>
  );
}
