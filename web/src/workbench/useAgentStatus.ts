// The agent's live status: `GET /agent` on mount, after every (re)connection of the live socket
// and on relevant events (coalesced); `queue.stats` updates the waiting counts in place.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { agentApi } from '../api/endpoints';
import type { AgentStatus, LiveEvent } from '../api/types';
import { responseOffset } from '../util/time';
import { throttle } from '../util/throttle';
import { useLive } from '../util/useLive';
import { applyQueueStats, needsRefetch } from './model';

export interface AgentStatusHandle {
  status: AgentStatus | null;
  /** Server clock − local clock, in ms. */
  offset: number;
  loadError: unknown;
  live: boolean;
  /** Re-fetch now. */
  refresh: () => Promise<void>;
  /** Run a call that answers an AgentStatus and show its result (throws the call's error). */
  apply: (call: () => Promise<AgentStatus>) => Promise<AgentStatus>;
}

export function useAgentStatus(myId: string, onEvent?: (e: LiveEvent) => void): AgentStatusHandle {
  const [status, setStatus] = useState<AgentStatus | null>(null);
  const [offset, setOffset] = useState(0);
  const [loadError, setLoadError] = useState<unknown>(null);
  // Responses are shown only if their request started after the one shown last, so a slow
  // GET cannot overwrite the result of a later action.
  const started = useRef(0);
  const shown = useRef(0);
  const alive = useRef(true);

  const apply = useCallback(async (call: () => Promise<AgentStatus>) => {
    const n = ++started.current;
    const sent = Date.now();
    const s = await call();
    if (alive.current && n > shown.current) {
      shown.current = n;
      setStatus(s);
      setOffset(responseOffset(s.server_time, sent, Date.now()));
    }
    return s;
  }, []);

  const refresh = useCallback(async () => {
    try {
      await apply(agentApi.status);
      if (alive.current) setLoadError(null);
    } catch (e) {
      if (alive.current) setLoadError(e);
    }
  }, [apply]);

  const refetchSoon = useMemo(() => throttle(refresh, 250), [refresh]);

  useEffect(() => {
    alive.current = true;
    void refresh();
    return () => {
      alive.current = false;
      refetchSoon.cancel();
    };
  }, [refresh, refetchSoon]);

  const onEventRef = useRef(onEvent);
  onEventRef.current = onEvent;
  const live = useLive({
    onConnected: () => refetchSoon(),
    onEvent: (e) => {
      if (e.type === 'queue.stats') setStatus((s) => applyQueueStats(s, e));
      else if (needsRefetch(e, myId)) refetchSoon();
      onEventRef.current?.(e);
    },
  });

  return { status, offset, loadError, live, refresh, apply };
}
