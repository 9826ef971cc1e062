// The wallboard's monitoring of live calls (P3): which call each agent is on and how each is
// monitored, kept from the live events (see monitor.ts), and the actions — listen, whisper,
// barge, stop — with the server's refusals said in the user's language.
import { useCallback, useRef, useState } from 'react';
import { App as AntApp } from 'antd';
import { callsApi, supervisorApi } from '../api/endpoints';
import { ApiError } from '../api/client';
import { errorText } from '../api/errors';
import type { LiveAgent, LiveEvent, MonitorMode } from '../api/types';
import { callQuery } from '../calls/model';
import { useT } from '../i18n';
import { applyMonitorEvent, learnAgentCall, monitorErrorKey, ongoingCall, rowMonitoring, staleCall, type AgentCalls, type Monitors, type RowMonitoring } from './monitor';

/** How many of an agent's latest call records are searched for the one in progress. */
const RECENT_CALLS = 5;

export interface MonitoringHandle {
  /** Feed every live event of the page. */
  onEvent: (e: LiveEvent) => void;
  /** How the agent's call is monitored. */
  rowOf: (agent: LiveAgent) => RowMonitoring;
  /** The agent whose call an action is on its way for. */
  busy: string | null;
  /** Start (or change to) a mode, or stop with null. */
  act: (agent: LiveAgent, mode: MonitorMode | null) => Promise<void>;
}

export function useMonitoring(myId: string): MonitoringHandle {
  const t = useT();
  const { message } = AntApp.useApp();
  const [monitors, setMonitors] = useState<Monitors>({});
  const [calls, setCalls] = useState<AgentCalls>({});
  const [busy, setBusy] = useState<string | null>(null);
  // The latest map for the actions, which run across renders.
  const callsRef = useRef(calls);
  callsRef.current = calls;

  const onEvent = useCallback((e: LiveEvent) => {
    setMonitors((m) => applyMonitorEvent(m, e));
    setCalls((c) => learnAgentCall(c, e));
  }, []);

  /** The agent's call: the live view's connected call, else learned from events, else their call record in progress. */
  const callOf = async (agent: LiveAgent): Promise<string | null> => {
    const live = agent.activity.find((a) => a.channel === 'voice' && a.state === 'connected');
    if (live) return live.id;
    const known = callsRef.current[agent.id];
    if (known) return known;
    const page = await callsApi.list(callQuery({ agentId: agent.id }, { limit: String(RECENT_CALLS) }));
    const found = ongoingCall(page.items, agent.id);
    if (found) setCalls((c) => ({ ...c, [agent.id]: found }));
    return found;
  };

  const forget = (agentId: string) =>
    setCalls((c) => {
      const next = { ...c };
      delete next[agentId];
      return next;
    });

  const unmonitored = (contactId: string) =>
    setMonitors((m) => {
      const next = { ...m };
      delete next[contactId];
      return next;
    });

  const act = async (agent: LiveAgent, mode: MonitorMode | null) => {
    setBusy(agent.id);
    let contactId: string | null = null;
    try {
      const id = await callOf(agent);
      contactId = id;
      if (!id) {
        message.warning(t('sv.monitor.noCall'));
        return;
      }
      if (mode) {
        await supervisorApi.monitor(id, mode);
        setMonitors((m) => ({ ...m, [id]: { mode, byId: myId } }));
      } else {
        await supervisorApi.stopMonitor(id);
        unmonitored(id);
        message.success(t('sv.monitor.stopped'));
      }
    } catch (e) {
      const code = e instanceof ApiError ? e.code : '';
      if (staleCall(code)) forget(agent.id);
      // Not (or no longer) monitored by me: the page was behind.
      if (code === 'not_monitored' && contactId) unmonitored(contactId);
      const key = monitorErrorKey(code);
      message.error(key ? t(key) : errorText(e, t));
    } finally {
      setBusy(null);
    }
  };

  const rowOf = (agent: LiveAgent) => rowMonitoring(monitors, calls[agent.id], myId);

  return { onEvent, rowOf, busy, act };
}
