// The pieces of calling an outside number shared by the dial pad, the transfer dialog (转外线)
// and the consult dialog: the agent's caller numbers (read again at each opening, defaults
// first, one preselected), their picker, and the number's input that keeps only what can be
// dialled.
import { useEffect, useState } from 'react';
import { Alert, Input, Select, Typography } from 'antd';
import { agentApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { CallerNumber } from '../api/types';
import type { TFunc } from '../i18n';
import { callerChoices, cleanNumber, isDialable, preselectedCaller } from './dial';

export interface CallerNumbersHandle {
  /** Null while loading. */
  callers: CallerNumber[] | null;
  /** Why they could not be read. */
  error: unknown;
  caller: string | null;
  setCaller: (n: string | null) => void;
}

/** My caller numbers while `open` (an admin may change the groups between openings). */
export function useCallerNumbers(open: boolean): CallerNumbersHandle {
  const [callers, setCallers] = useState<CallerNumber[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [caller, setCaller] = useState<string | null>(null);
  useEffect(() => {
    if (!open) return;
    let live = true;
    setError(null);
    agentApi.callerNumbers().then(
      (list) => {
        if (!live) return;
        const choices = callerChoices(list);
        setCallers(choices);
        setCaller((cur) => preselectedCaller(choices, cur));
      },
      (e: unknown) => {
        if (!live) return;
        setCallers([]);
        setError(e);
      },
    );
    return () => {
      live = false;
    };
  }, [open]);
  return { callers, error, caller, setCaller };
}

/** The caller-number picker, or why there is none. Test ids: `{testId}`, `{testId}-{number}`, `{noneTestId}`. */
export function CallerNumberSelect({ handle, t, testId, noneTestId }: { handle: CallerNumbersHandle; t: TFunc; testId: string; noneTestId: string }) {
  const { callers, error, caller, setCaller } = handle;
  if (callers !== null && callers.length === 0) {
    return (
      <Alert
        type="warning"
        showIcon
        style={{ marginTop: 4 }}
        message={error != null ? errorText(error, t) : t('dial.noCallerNumbers')}
        data-testid={noneTestId}
      />
    );
  }
  return (
    <Select
      value={caller ?? undefined}
      onChange={(v: string) => setCaller(v)}
      loading={callers === null}
      style={{ width: '100%', marginTop: 4 }}
      aria-label={t('dial.callerNumber')}
      options={(callers ?? []).map((c) => ({
        value: c.number,
        label: (
          <span data-testid={`${testId}-${c.number}`}>
            {c.number} · {c.group}
            {c.default ? ` (${t('dial.callerDefault')})` : ''}
          </span>
        ),
      }))}
      data-testid={testId}
    />
  );
}

/** An outside number typed or pasted: cleaned as the dial pad cleans it, with a warning until it can be dialled. */
export function OutsideNumberInput(props: {
  value: string;
  onChange: (n: string) => void;
  onPressEnter?: () => void;
  t: TFunc;
  testId: string;
  placeholder?: string;
}) {
  const { value, onChange, onPressEnter, t, testId, placeholder } = props;
  const dialable = isDialable(value);
  return (
    <>
      <Input
        value={value}
        onChange={(e) => onChange(cleanNumber(e.target.value))}
        onPressEnter={onPressEnter}
        placeholder={placeholder ?? t('dial.numberPlaceholder')}
        inputMode="tel"
        allowClear
        status={value && !dialable ? 'warning' : undefined}
        data-testid={testId}
      />
      {value !== '' && !dialable && (
        <Typography.Text type="warning" data-testid={`${testId}-invalid`}>
          {t('dial.invalidNumber')}
        </Typography.Text>
      )}
    </>
  );
}
