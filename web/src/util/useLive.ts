import { useEffect, useRef, useState } from 'react';
import { liveConnection, type LiveSubscriber } from '../api/live';

/** Listen to the live event stream while mounted; returns whether the socket is connected. */
export function useLive(sub: LiveSubscriber): boolean {
  const ref = useRef(sub);
  ref.current = sub;
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const conn = liveConnection();
    setConnected(conn.isConnected);
    return conn.subscribe({
      onEvent: (e) => ref.current.onEvent?.(e),
      onConnected: () => {
        setConnected(true);
        ref.current.onConnected?.();
      },
      onDisconnected: () => {
        setConnected(false);
        ref.current.onDisconnected?.();
      },
    });
  }, []);
  return connected;
}
