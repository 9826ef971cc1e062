// The summary's solution and disposition pick, below its problem, in the contact card and the chat
// workbench alike.
import { Input, Select } from 'antd';
import { useT } from '../i18n';
import { pickableCodes, SUMMARY_MAX } from './summary';
import type { SummaryHandle } from './useSummary';

export default function SummaryFields({ summary, required, testId }: { summary: SummaryHandle; required: boolean; testId: string }) {
  const t = useT();
  const options = pickableCodes(summary.codes, summary.disposition).map((c) => ({ value: c.code, label: c.label }));
  return (
    <div className="summary-fields">
      <Input.TextArea
        value={summary.solution}
        onChange={(e) => summary.setSolution(e.target.value)}
        maxLength={SUMMARY_MAX}
        autoSize={{ minRows: 1, maxRows: 5 }}
        placeholder={`${t('wb.summary.solution')}: ${t('wb.summary.solutionPlaceholder')}`}
        aria-label={t('wb.summary.solution')}
        data-testid={`${testId}-solution`}
        style={{ marginTop: 6 }}
      />
      {options.length > 0 && (
        <Select
          value={summary.disposition || undefined}
          onChange={(v: string | undefined) => summary.setDisposition(v ?? '')}
          options={options}
          allowClear={!required}
          placeholder={`${t('wb.summary.dispositionPlaceholder')}${required ? ` (${t('wb.summary.required')})` : ''}`}
          aria-label={t('wb.summary.disposition')}
          data-testid={`${testId}-disposition`}
          style={{ marginTop: 6, minWidth: 220 }}
        />
      )}
    </div>
  );
}
