import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, getToken, onPasswordChangeRequired, onUnauthorized, setToken } from '../api/client';
import { authApi } from '../api/endpoints';
import type { LoginResponse, Me } from '../api/types';

type Status = 'loading' | 'anonymous' | 'authenticated' | 'error';

interface AuthValue {
  status: Status;
  me: Me | null;
  /** Error while loading /me for a stored token (server unreachable etc.). */
  loadError: unknown;
  /** Set when the session ended because the server answered 401. */
  sessionExpired: boolean;
  login: (tenant: string, login: string, password: string) => Promise<LoginResponse>;
  logout: () => Promise<void>;
  refreshMe: () => Promise<Me | null>;
  hasPermission: (p: string) => boolean;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Status>(() => (getToken() ? 'loading' : 'anonymous'));
  const [me, setMe] = useState<Me | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [sessionExpired, setSessionExpired] = useState(false);

  const dropSession = useCallback(() => {
    setToken(null);
    setMe(null);
    setStatus('anonymous');
  }, []);

  const refreshMe = useCallback(async () => {
    if (!getToken()) {
      dropSession();
      return null;
    }
    try {
      const m = await authApi.me();
      setMe(m);
      setStatus('authenticated');
      setLoadError(null);
      return m;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        dropSession();
        return null;
      }
      setLoadError(e);
      setStatus('error');
      return null;
    }
  }, [dropSession]);

  useEffect(() => {
    if (getToken()) void refreshMe();
  }, [refreshMe]);

  useEffect(() => {
    onUnauthorized(() => {
      setSessionExpired(true);
      dropSession();
    });
    onPasswordChangeRequired(() => {
      setMe((m) => (m ? { ...m, must_change_password: true } : m));
    });
    return () => {
      onUnauthorized(null);
      onPasswordChangeRequired(null);
    };
  }, [dropSession]);

  const login = useCallback(async (tenant: string, loginName: string, password: string) => {
    const res = await authApi.login(tenant, loginName, password);
    setToken(res.token);
    setMe({ ...res.user, must_change_password: res.must_change_password || res.user.must_change_password });
    setStatus('authenticated');
    setSessionExpired(false);
    setLoadError(null);
    return res;
  }, []);

  const logout = useCallback(async () => {
    try {
      if (getToken()) await authApi.logout();
    } catch {
      /* the token is dropped locally either way */
    }
    setSessionExpired(false);
    dropSession();
  }, [dropSession]);

  const value = useMemo<AuthValue>(
    () => ({
      status,
      me,
      loadError,
      sessionExpired,
      login,
      logout,
      refreshMe,
      hasPermission: (p: string) => !!me && me.permissions.includes(p),
    }),
    [status, me, loadError, sessionExpired, login, logout, refreshMe],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}
