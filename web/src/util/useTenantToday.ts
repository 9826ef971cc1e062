// Today in the tenant's time zone (from `GET /tenant/params`, which every signed-in user may
// read): date filters default to the tenant's days, as the server reads them.
import { useEffect, useState } from 'react';
import { getToken } from '../api/client';
import { paramsApi } from '../api/endpoints';
import { zonedToday } from './days';

/** The zone asked for once per session (token); null when it could not be read. */
let cached: { token: string | null; zone: Promise<string | null> } | null = null;

function tenantZone(): Promise<string | null> {
  const token = getToken();
  if (!cached || cached.token !== token) {
    cached = { token, zone: paramsApi.get().then((p) => p.time_zone ?? null, () => null) };
  }
  return cached.zone;
}

/** The tenant's today (`YYYY-MM-DD`), or null until its zone is known (the browser's if unreadable). */
export function useTenantToday(): string | null {
  const [today, setToday] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void tenantZone().then((zone) => live && setToday(zonedToday(zone)));
    return () => {
      live = false;
    };
  }, []);
  return today;
}
