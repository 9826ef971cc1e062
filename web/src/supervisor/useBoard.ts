// The wallboard's figures (P1): live — fetched once, then every `wallboard` message of the
// socket (the server pushes them to all supervisors; nothing here polls) — or, with a moment
// given, the board as it stood then, rebuilt by the server from the stored events.
import { useCallback, useEffect, useRef, useState } from 'react';
import { reportsApi, supervisorApi } from '../api/endpoints';
import type { Wallboard } from '../api/types';
import { responseOffset } from '../util/time';
import { useLive } from '../util/useLive';
import { later, wallboardMessage } from './figures';

export interface Board {
  board: Wallboard | null;
  /** Server clock − local clock, for the ticking longest waits. */
  offset: number;
  error: unknown;
  loading: boolean;
}

/** `asOf` is an RFC 3339 moment, or null for the live board. */
export function useBoard(asOf: string | null): Board {
  const [board, setBoard] = useState<Wallboard | null>(null);
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const mode = useRef(asOf);
  mode.current = asOf;

  const fetchBoard = useCallback(async (at: string | null) => {
    setLoading(true);
    const sent = Date.now();
    try {
      const b = at ? await reportsApi.wallboardAt(at) : await supervisorApi.wallboard();
      if (mode.current !== at) return;
      setBoard((cur) => (at ? b : later(cur, b)));
      if (!at) setOffset(responseOffset(b.at, sent, Date.now()));
      setError(null);
    } catch (e) {
      if (mode.current === at) setError(e);
    } finally {
      if (mode.current === at) setLoading(false);
    }
  }, []);

  useEffect(() => {
    setBoard(null);
    void fetchBoard(asOf);
  }, [asOf, fetchBoard]);

  useLive({
    // Messages may have been missed while the socket was down.
    onConnected: () => {
      if (!mode.current) void fetchBoard(null);
    },
    onEvent: (e) => {
      if (mode.current) return;
      const b = wallboardMessage(e);
      if (b) setBoard((cur) => later(cur, b));
    },
  });

  return { board, offset, error, loading };
}
