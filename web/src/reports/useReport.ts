// One report tab's state: its filter, the figures of the last run, and its export.
import { useCallback, useEffect, useRef, useState } from 'react';
import { App as AntApp } from 'antd';
import { reportsApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import { useI18n, useT } from '../i18n';
import { addDays } from '../util/days';
import { downloadWithToken } from '../util/download';
import { reportQuery, type ReportFilter } from './model';

/** The last 7 days up to `today` (the tenant's), per day. */
export function defaultFilter(today: string): ReportFilter {
  return { from: addDays(today, -6), to: today, interval: 'day', ids: [] };
}

export function useReport<R>(kind: 'queues' | 'agents', fetch: (query: string) => Promise<R>, today: string) {
  const t = useT();
  const { lang } = useI18n();
  const { message } = AntApp.useApp();
  const [filter, setFilter] = useState<ReportFilter>(() => defaultFilter(today));
  const [report, setReport] = useState<R | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const latest = useRef(0);
  const current = useRef(filter);
  current.current = filter;

  const run = useCallback(async () => {
    const n = ++latest.current;
    setLoading(true);
    try {
      const r = await fetch(reportQuery(current.current));
      if (n !== latest.current) return;
      setReport(r);
      setError(null);
    } catch (e) {
      if (n === latest.current) setError(e);
    } finally {
      if (n === latest.current) setLoading(false);
    }
  }, [fetch]);

  useEffect(() => {
    void run();
  }, [run]);

  const exportFile = async (format: 'xlsx' | 'csv') => {
    const f = current.current;
    try {
      await downloadWithToken(reportsApi.exportPath(kind, reportQuery(f, { format, lang })), `${kind}-${f.from}-${f.to}.${format}`);
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  return { filter, setFilter, report, error, loading, run, exportFile };
}
