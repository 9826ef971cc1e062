// The service summary (服务小计) of one contact and its release / continue-working actions, shared by
// the contact card and the chat workbench. Keyed by contact id by its users, so the draft survives
// the release.
import { useState } from 'react';
import { App as AntApp } from 'antd';
import { ApiError } from '../api/client';
import { agentApi, contactsApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { Contact } from '../api/types';
import { useT } from '../i18n';
import type { AgentStatusHandle } from './useAgentStatus';

export const SUMMARY_MAX = 4000;

export interface SummaryHandle {
  draft: string;
  setDraft: (v: string) => void;
  saved: string;
  dirty: boolean;
  text: string;
  pending: 'release' | 'save' | 'continue' | null;
  error: string | null;
  needSummary: boolean;
  save: () => Promise<boolean>;
  release: () => Promise<void>;
  continueWork: () => Promise<void>;
}

export function useSummary(contact: Contact, agent: AgentStatusHandle): SummaryHandle {
  const t = useT();
  const { message } = AntApp.useApp();
  const [draft, setDraft] = useState(contact.summary ?? '');
  const [saved, setSaved] = useState(contact.summary ?? '');
  const [pending, setPending] = useState<SummaryHandle['pending']>(null);
  const [error, setError] = useState<string | null>(null);
  const [needSummary, setNeedSummary] = useState(false);

  // Take the server's summary when it changes elsewhere and nothing is being typed here
  // (adjusting state during render when the server's value changes, not in an effect).
  const server = contact.summary ?? '';
  const [seen, setSeen] = useState(server);
  if (server !== seen) {
    setSeen(server);
    if (server !== saved) {
      if (draft === saved) setDraft(server);
      setSaved(server);
    }
  }

  const dirty = draft.trim() !== saved.trim();
  const text = draft.trim();

  const save = async (): Promise<boolean> => {
    if (!text) {
      setError(t('wb.summary.empty'));
      return false;
    }
    setPending('save');
    setError(null);
    try {
      const c = await contactsApi.saveSummary(contact.id, text);
      setSaved(c.summary ?? text);
      setDraft(c.summary ?? text);
      setNeedSummary(false);
      message.success(t('wb.summary.saved'));
      return true;
    } catch (e) {
      setError(errorText(e, t));
      return false;
    } finally {
      setPending(null);
    }
  };

  const release = async () => {
    setPending('release');
    setError(null);
    try {
      await contactsApi.release(contact.id);
    } catch (e) {
      setError(errorText(e, t));
    } finally {
      setPending(null);
      void agent.refresh();
    }
  };

  const continueWork = async () => {
    // Save a changed draft first, so "continue" never drops what was typed.
    if (dirty && text && !(await save())) return;
    setPending('continue');
    setError(null);
    try {
      await agent.apply(() => agentApi.continueWork(contact.id));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'summary_required') setNeedSummary(true);
      else setError(errorText(e, t));
      void agent.refresh();
    } finally {
      setPending(null);
    }
  };

  return { draft, setDraft, saved, dirty, text, pending, error, needSummary, save, release, continueWork };
}
