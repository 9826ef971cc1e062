// A scorecard filled in or read: each item with its points (yes/no or 0..N) and comment,
// section after section, the overall comment and the score it gives, shown live.
import { Input, Radio, Space, Tag, Typography } from 'antd';
import type { ReviewAnswer, ScorecardSection } from '../api/types';
import { useT } from '../i18n';
import { flatItems, maxPoints, previewScore } from './model';

interface Props {
  sections: ScorecardSection[];
  answers: ReviewAnswer[];
  comment: string;
  readOnly?: boolean;
  /** The overall comment only read (a re-score keeps it: only the answers change). */
  commentReadOnly?: boolean;
  onChange?: (answers: ReviewAnswer[], comment: string) => void;
}

export default function ScoreForm({ sections, answers, comment, readOnly, commentReadOnly, onChange }: Props) {
  const t = useT();
  const items = flatItems(sections);
  const preview = previewScore(sections, answers);
  const set = (i: number, patch: Partial<ReviewAnswer>) =>
    onChange?.(answers.map((a, j) => (j === i ? { ...a, ...patch } : a)), comment);
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="score-form">
      {items.map(({ section, item }, i) => {
        const a = answers[i] ?? { points: null, comment: '' };
        const options = item.scale === 'yes_no'
          ? [{ value: 1, label: t('common.yes') }, { value: 0, label: t('common.no') }]
          : Array.from({ length: maxPoints(item) + 1 }, (_, p) => ({ value: p, label: String(p) }));
        return (
          <div key={i} data-testid={`answer-${i}`} style={{ borderBottom: '1px solid #f0f0f0', paddingBottom: 8 }}>
            <Space wrap>
              <Typography.Text type="secondary">{section}</Typography.Text>
              <Typography.Text strong>{item.label}</Typography.Text>
              <Tag>{t('quality.weightOf', { weight: item.weight })}</Tag>
              {item.critical && <Tag color="red">{t('quality.critical')}</Tag>}
            </Space>
            {item.description && <div><Typography.Text type="secondary">{item.description}</Typography.Text></div>}
            <div>
              <Radio.Group
                disabled={readOnly}
                value={a.points ?? undefined}
                options={options}
                optionType="button"
                data-testid={`points-${i}`}
                onChange={(e) => set(i, { points: Number(e.target.value) })}
              />
            </div>
            {readOnly ? (
              a.comment && <Typography.Paragraph data-testid={`answer-comment-${i}`}>{a.comment}</Typography.Paragraph>
            ) : (
              <Input placeholder={t('quality.itemComment')} value={a.comment} data-testid={`comment-${i}`} onChange={(e) => set(i, { comment: e.target.value })} />
            )}
          </div>
        );
      })}
      {readOnly || commentReadOnly ? (
        comment && <Typography.Paragraph data-testid="overall-comment">{comment}</Typography.Paragraph>
      ) : (
        <Input.TextArea rows={2} placeholder={t('quality.overallComment')} value={comment} data-testid="overall-comment" onChange={(e) => onChange?.(answers, e.target.value)} />
      )}
      <Typography.Title level={4} data-testid="score-preview">
        {preview ? t('quality.scoreOf', { score: preview.score }) : t('quality.unscored')}
        {preview?.failedCritical && <Tag color="red" style={{ marginLeft: 8 }}>{t('quality.failedCritical')}</Tag>}
      </Typography.Title>
    </Space>
  );
}
