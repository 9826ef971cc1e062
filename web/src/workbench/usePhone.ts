// My phone for the connection bar: `GET /agent/phone` on mount, on every (re)connection of the
// live socket and every 30 s; an `agent.phone` event for me sets the device count and the line
// state at once.
import { useCallback, useEffect, useRef, useState } from 'react';
import { voiceApi } from '../api/endpoints';
import type { AgentPhone } from '../api/types';
import { useLive } from '../util/useLive';
import { withPhoneEvent } from './phone';

export const PHONE_REFRESH_MS = 30_000;

export function usePhone(myId: string): AgentPhone | null {
  const [phone, setPhone] = useState<AgentPhone | null>(null);
  const alive = useRef(true);

  const refresh = useCallback(async () => {
    try {
      const p = await voiceApi.myPhone();
      if (alive.current) setPhone(p);
    } catch {
      // The indicator keeps what it showed; the next refresh tries again.
    }
  }, []);

  useEffect(() => {
    alive.current = true;
    void refresh();
    const timer = window.setInterval(() => void refresh(), PHONE_REFRESH_MS);
    return () => {
      alive.current = false;
      window.clearInterval(timer);
    };
  }, [refresh]);

  useLive({
    onConnected: () => void refresh(),
    onEvent: (e) => setPhone((p) => withPhoneEvent(p, e, myId)),
  });

  return phone;
}
