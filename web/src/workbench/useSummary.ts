// The service summary (服务小计) of one contact — problem, solution, disposition — and its release /
// continue-working actions, shared by the contact card and the chat workbench. Keyed by contact id
// by its users, so the draft survives the release.
import { useState } from 'react';
import { App as AntApp } from 'antd';
import { ApiError } from '../api/client';
import { agentApi, contactsApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { Contact, DispositionCode } from '../api/types';
import { useT } from '../i18n';
import { draftOf, draftProblem, sameDraft, summaryBody, type SummaryDraft } from './summary';
import { useDispositions } from './useDispositions';
import type { AgentStatusHandle } from './useAgentStatus';

export { SUMMARY_MAX } from './summary';

export interface SummaryHandle {
  /** The problem being typed (the summary's first part). */
  draft: string;
  setDraft: (v: string) => void;
  solution: string;
  setSolution: (v: string) => void;
  disposition: string;
  setDisposition: (v: string) => void;
  /** The tenant's disposition codes. */
  codes: DispositionCode[];
  /** The saved problem. */
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
  const codes = useDispositions();
  const [draft, setDraftAll] = useState<SummaryDraft>(() => draftOf(contact));
  const [saved, setSaved] = useState<SummaryDraft>(() => draftOf(contact));
  const [pending, setPending] = useState<SummaryHandle['pending']>(null);
  const [error, setError] = useState<string | null>(null);
  const [needSummary, setNeedSummary] = useState(false);

  // Take the server's summary when it changes elsewhere and nothing is being typed here
  // (adjusting state during render when the server's value changes, not in an effect).
  const server = draftOf(contact);
  const [seen, setSeen] = useState(server);
  if (!sameDraft(server, seen)) {
    setSeen(server);
    if (!sameDraft(server, saved)) {
      if (sameDraft(draft, saved)) setDraftAll(server);
      setSaved(server);
    }
  }

  const dirty = !sameDraft(draft, saved);
  const text = draft.problem.trim();
  const required = !!agent.status?.summary_required;

  const save = async (): Promise<boolean> => {
    const problem = draftProblem(draft, required, codes);
    if (problem) {
      setError(t(problem));
      return false;
    }
    setPending('save');
    setError(null);
    try {
      const c = await contactsApi.saveSummary(contact.id, summaryBody(draft));
      setSaved(draftOf(c));
      setDraftAll(draftOf(c));
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

  const set = (part: keyof SummaryDraft) => (v: string) => setDraftAll((d) => ({ ...d, [part]: v }));
  return {
    draft: draft.problem,
    setDraft: set('problem'),
    solution: draft.solution,
    setSolution: set('solution'),
    disposition: draft.disposition,
    setDisposition: set('disposition'),
    codes,
    saved: saved.problem,
    dirty,
    text,
    pending,
    error,
    needSummary,
    save,
    release,
    continueWork,
  };
}
