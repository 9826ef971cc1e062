import { Badge } from 'antd';
import type { AgentState } from '../api/types';
import { useT } from '../i18n';
import { elapsedSeconds, formatDuration, remainingSeconds } from '../util/time';
import { useNow } from '../util/useNow';
import { STATE_COLORS } from '../workbench/model';

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

/** The coloured state badge used by the connection bar and the wallboard. */
export function StateBadge({ state, testId }: { state: AgentState; testId?: string }) {
  const t = useT();
  return <Badge color={STATE_COLORS[state]} text={t(`state.${state}`)} data-testid={testId} data-state={state} />;
}
