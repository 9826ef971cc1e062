// The tenant's disposition codes for the wrap-up form, fetched once per page load and shared by
// every summary on screen; the admin page drops the copy when it saves a new list.
import { useEffect, useState } from 'react';
import { dispositionsApi } from '../api/endpoints';
import type { DispositionCode } from '../api/types';

let loading: Promise<DispositionCode[]> | null = null;

function load(): Promise<DispositionCode[]> {
  loading ??= dispositionsApi.list().then(
    (r) => r.codes,
    () => {
      loading = null; // try again next time
      return [];
    },
  );
  return loading;
}

/** Forget the fetched list (after the admin saved a new one). */
export function forgetDispositions(): void {
  loading = null;
}

export function useDispositions(): DispositionCode[] {
  const [codes, setCodes] = useState<DispositionCode[]>([]);
  useEffect(() => {
    let live = true;
    void load().then((c) => {
      if (live) setCodes(c);
    });
    return () => {
      live = false;
    };
  }, []);
  return codes;
}
