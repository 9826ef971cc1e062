// What every ticket screen needs to show names: categories, types (fields and workflows),
// skill groups and people. Loaded once per minute and shared by all components on the page.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { queuesApi, usersApi } from '../api/endpoints';
import type { Me } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { useT } from '../i18n';
import { localizeType } from './systemNames';
import { ticketsApi } from './api';
import { buildDirectory, type Directory } from './directory';
import type { TicketCategory, TicketTemplate, TicketType } from './types';

interface MetaData {
  categories: TicketCategory[];
  types: TicketType[];
  dir: Directory;
}

const TTL_MS = 60_000;
let cache: { at: number; key: string; data: MetaData } | null = null;
let inflight: { key: string; promise: Promise<MetaData> } | null = null;
const templateCache = new Map<string, Promise<TicketTemplate[]>>();

async function loadMeta(me: Me): Promise<MetaData> {
  const can = (p: string) => me.permissions.includes(p);
  const [categories, types, queues, users] = await Promise.all([
    ticketsApi.categories(),
    ticketsApi.types(),
    queuesApi.list().catch(() => []),
    can('tickets.work') || can('agent.work') ? usersApi.directory().catch(() => null) : Promise.resolve(null),
  ]);
  return { categories, types, dir: buildDirectory({ me, users, queues }) };
}

function metaFor(me: Me, force: boolean): Promise<MetaData> {
  const key = `${me.id}:${me.permissions.join(',')}`;
  if (!force && cache && cache.key === key && Date.now() - cache.at < TTL_MS) return Promise.resolve(cache.data);
  if (!force && inflight && inflight.key === key) return inflight.promise;
  if (force) templateCache.clear();
  const promise = loadMeta(me).then(
    (data) => {
      cache = { at: Date.now(), key, data };
      if (inflight?.promise === promise) inflight = null;
      return data;
    },
    (e) => {
      if (inflight?.promise === promise) inflight = null;
      throw e;
    },
  );
  inflight = { key, promise };
  return promise;
}

/** Templates of a type (cached with the rest). */
export function templatesOf(typeId: string): Promise<TicketTemplate[]> {
  let p = templateCache.get(typeId);
  if (!p) {
    p = ticketsApi.templates(typeId).catch((e) => {
      templateCache.delete(typeId);
      throw e;
    });
    templateCache.set(typeId, p);
  }
  return p;
}

const EMPTY: MetaData = { categories: [], types: [], dir: buildDirectory({}) };

export interface TicketMeta extends MetaData {
  loading: boolean;
  error: unknown;
  reload: () => void;
  typeById: (id: string | null | undefined) => TicketType | undefined;
}

export function useTicketMeta(): TicketMeta {
  const { me } = useAuth();
  const [data, setData] = useState<MetaData>(() => cache?.data ?? EMPTY);
  const [loading, setLoading] = useState(!cache);
  const [error, setError] = useState<unknown>(null);
  const [round, setRound] = useState(0);

  useEffect(() => {
    if (!me) return;
    let alive = true;
    setLoading(true);
    metaFor(me, round > 0).then(
      (d) => {
        if (!alive) return;
        setData(d);
        setError(null);
        setLoading(false);
      },
      (e) => {
        if (!alive) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => {
      alive = false;
    };
  }, [me, round]);

  const reload = useCallback(() => setRound((r) => r + 1), []);
  // The built-in names in the user's language (display only; the configuration pages load their own).
  const t = useT();
  const types = useMemo(() => data.types.map((x) => localizeType(x, t)), [data.types, t]);
  const typeById = useCallback((id: string | null | undefined) => (id ? types.find((x) => x.id === id) : undefined), [types]);
  return useMemo(() => ({ ...data, types, loading, error, reload, typeById }), [data, types, loading, error, reload, typeById]);
}

/** The templates of one type, loaded when the type is chosen. */
export function useTemplates(typeId: string | null | undefined): { templates: TicketTemplate[]; loading: boolean; error: unknown } {
  const [state, setState] = useState<{ typeId: string | null; templates: TicketTemplate[]; loading: boolean; error: unknown }>({
    typeId: null,
    templates: [],
    loading: false,
    error: null,
  });
  useEffect(() => {
    if (!typeId) {
      setState({ typeId: null, templates: [], loading: false, error: null });
      return;
    }
    let alive = true;
    setState({ typeId, templates: [], loading: true, error: null });
    templatesOf(typeId).then(
      (templates) => alive && setState({ typeId, templates, loading: false, error: null }),
      (error) => alive && setState({ typeId, templates: [], loading: false, error }),
    );
    return () => {
      alive = false;
    };
  }, [typeId]);
  return state.typeId === (typeId ?? null) ? state : { templates: [], loading: !!typeId, error: null };
}
