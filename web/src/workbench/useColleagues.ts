// The signed-in colleagues (`GET /agent/colleagues`) for the transfer and consult dialogs, kept
// fresh while a dialog is open: an agent gets no live events about other agents, so a colleague
// who becomes free meanwhile would otherwise stay greyed out until the dialog is reopened.
import { useEffect, useState } from 'react';
import { agentApi } from '../api/endpoints';
import type { ColleagueStatus } from '../api/types';

/** How often the list is re-read while open. */
export const COLLEAGUES_POLL_MS = 3_000;

export interface ColleaguesHandle {
  colleagues: ColleagueStatus[];
  /** The first load has answered (with a list or an error). */
  loaded: boolean;
  error: unknown;
}

export function useColleagues(open: boolean): ColleaguesHandle {
  const [colleagues, setColleagues] = useState<ColleagueStatus[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!open) return;
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const list = await agentApi.colleagues();
        if (!alive) return;
        setColleagues(list);
        setError(null);
      } catch (e) {
        if (alive) setError(e);
      } finally {
        if (alive) {
          setLoaded(true);
          timer = setTimeout(() => void load(), COLLEAGUES_POLL_MS);
        }
      }
    };
    void load();
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [open]);

  return { colleagues, loaded, error };
}
