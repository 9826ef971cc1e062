// One ticket and its trail, and a runner for changes that turns the contract's conflicts into
// something the user understands: a stale edit or a lost claim reloads the ticket.
import { useCallback, useEffect, useRef, useState } from 'react';
import { App as AntApp } from 'antd';
import { ApiError } from '../api/client';
import { errorText } from '../api/errors';
import { useT } from '../i18n';
import { ticketsApi } from './api';
import type { Ticket, TrailEntry } from './types';

export interface TicketHandle {
  ticket: Ticket | null;
  loading: boolean;
  error: unknown;
  trail: TrailEntry[];
  trailLoading: boolean;
  trailError: unknown;
  reload: () => Promise<void>;
  reloadTrail: () => Promise<void>;
  /** Show a ticket an action returned, and fetch the trail again. */
  show: (t: Ticket) => void;
  patch: (f: (t: Ticket) => Ticket) => void;
  /**
   * Run a change. Resolves 'ok' when it succeeded. Conflicts (409 stale, already_claimed,
   * transition_forbidden) are explained and the ticket is reloaded; other errors go to
   * `onError` when given (e.g. to show them on a form field), else to a toast.
   */
  run: (fn: () => Promise<unknown>, opts?: { onError?: (e: unknown) => boolean }) => Promise<RunResult>;
}

export type RunResult = 'ok' | 'conflict' | 'error';

const CONFLICTS = new Set(['stale', 'already_claimed', 'transition_forbidden']);

export function useTicket(id: string): TicketHandle {
  const t = useT();
  const { message, modal } = AntApp.useApp();
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [trail, setTrail] = useState<TrailEntry[]>([]);
  const [trailLoading, setTrailLoading] = useState(true);
  const [trailError, setTrailError] = useState<unknown>(null);
  const current = useRef(id);
  current.current = id;

  const reload = useCallback(async () => {
    const forId = id;
    setLoading(true);
    try {
      const tk = await ticketsApi.get(forId);
      if (current.current !== forId) return;
      setTicket(tk);
      setError(null);
    } catch (e) {
      if (current.current !== forId) return;
      setError(e);
    } finally {
      if (current.current === forId) setLoading(false);
    }
  }, [id]);

  const reloadTrail = useCallback(async () => {
    const forId = id;
    setTrailLoading(true);
    try {
      const entries = await ticketsApi.trail(forId);
      if (current.current !== forId) return;
      setTrail([...entries].sort((a, b) => a.seq - b.seq));
      setTrailError(null);
    } catch (e) {
      if (current.current !== forId) return;
      setTrailError(e);
    } finally {
      if (current.current === forId) setTrailLoading(false);
    }
  }, [id]);

  useEffect(() => {
    setTicket(null);
    setTrail([]);
    void reload();
    void reloadTrail();
  }, [reload, reloadTrail]);

  const show = useCallback(
    (tk: Ticket) => {
      if (tk && tk.id === current.current) setTicket(tk);
      void reloadTrail();
    },
    [reloadTrail],
  );

  const patch = useCallback((f: (t: Ticket) => Ticket) => setTicket((old) => (old ? f(old) : old)), []);

  const run = useCallback(
    async (fn: () => Promise<unknown>, opts?: { onError?: (e: unknown) => boolean }): Promise<RunResult> => {
      try {
        const res = await fn();
        if (res && typeof res === 'object' && 'id' in res && 'version' in res) show(res as Ticket);
        else void reloadTrail();
        return 'ok';
      } catch (e) {
        if (e instanceof ApiError && e.status === 409 && CONFLICTS.has(e.code)) {
          if (e.code === 'stale') {
            modal.warning({ title: t('tk.stale.title'), content: t('tk.stale.body'), okText: t('common.ok') });
          } else {
            message.warning(errorText(e, t));
          }
          void reload();
          void reloadTrail();
          return 'conflict';
        }
        if (!opts?.onError?.(e)) message.error(errorText(e, t));
        return 'error';
      }
    },
    [message, modal, t, show, reload, reloadTrail],
  );

  return { ticket, loading, error, trail, trailLoading, trailError, reload, reloadTrail, show, patch, run };
}
