// One list of tickets with keyset paging ("load more" follows `next_cursor`). A newer query
// always wins over a slower older one.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ticketsApi } from './api';
import type { ListQuery } from './query';
import type { TicketRow } from './types';

export const PAGE_SIZE = 50;

export interface TicketList {
  rows: TicketRow[];
  nextCursor: string | null;
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
  reload: () => void;
  loadMore: () => void;
}

export function useTicketList(query: Omit<ListQuery, 'cursor' | 'limit'>, enabled = true): TicketList {
  const [rows, setRows] = useState<TicketRow[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const seq = useRef(0);
  const queryRef = useRef(query);
  queryRef.current = query;
  const key = JSON.stringify(query);

  const reload = useCallback(() => {
    const n = ++seq.current;
    setLoading(true);
    setLoadingMore(false);
    ticketsApi.list({ ...queryRef.current, limit: PAGE_SIZE }).then(
      (page) => {
        if (n !== seq.current) return;
        setRows(page.items ?? []);
        setNextCursor(page.next_cursor ?? null);
        setError(null);
        setLoading(false);
      },
      (e) => {
        if (n !== seq.current) return;
        setError(e);
        setRows([]);
        setNextCursor(null);
        setLoading(false);
      },
    );
  }, []);

  const loadMore = useCallback(() => {
    if (!nextCursor) return;
    const n = seq.current;
    setLoadingMore(true);
    ticketsApi.list({ ...queryRef.current, cursor: nextCursor, limit: PAGE_SIZE }).then(
      (page) => {
        if (n !== seq.current) return;
        setRows((old) => {
          const have = new Set(old.map((r) => r.id));
          return [...old, ...(page.items ?? []).filter((r) => !have.has(r.id))];
        });
        setNextCursor(page.next_cursor ?? null);
        setError(null);
        setLoadingMore(false);
      },
      (e) => {
        if (n !== seq.current) return;
        setError(e);
        setLoadingMore(false);
      },
    );
  }, [nextCursor]);

  useEffect(() => {
    if (enabled) reload();
  }, [key, enabled, reload]);

  return { rows, nextCursor, loading, loadingMore, error, reload, loadMore };
}
