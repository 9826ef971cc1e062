// The review workspace: the contact's chat transcript or call recording on the left, the
// scorecard on the right; a draft is saved or submitted, a disputed review upheld (its answers
// shown as they stand) or re-scored (the answers open to change, the overall comment kept).
import { useEffect, useState, type ReactNode } from 'react';
import { Alert, App as AntApp, Button, Card, Col, Descriptions, Empty, Input, List, Radio, Row, Space, Spin, Tag, Typography } from 'antd';
import { useParams } from 'react-router-dom';
import { getToken } from '../api/client';
import { qualityApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { QualityReview, ReviewAnswer, ReviewMaterial } from '../api/types';
import { recordingUrl } from '../calls/model';
import { useT } from '../i18n';
import ScoreForm from './ScoreForm';
import { flatItems, submitProblem } from './model';

export default function ReviewPage() {
  const t = useT();
  const { id = '' } = useParams();
  const { message } = AntApp.useApp();
  const [review, setReview] = useState<QualityReview | null>(null);
  const [material, setMaterial] = useState<ReviewMaterial | null>(null);
  const [answers, setAnswers] = useState<ReviewAnswer[]>([]);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [how, setHow] = useState<Resolution>('upheld');

  const show = (r: QualityReview) => {
    setReview(r);
    setAnswers(r.answers);
    setComment(r.comment);
  };
  useEffect(() => {
    qualityApi.review(id).then(show, (e: unknown) => message.error(errorText(e, t)));
    qualityApi.material(id).then(setMaterial, () => setMaterial(null));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);

  if (!review) return <Spin />;
  const act = async (f: () => Promise<QualityReview>, done: string) => {
    setBusy(true);
    try {
      show(await f());
      message.success(done);
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };
  const problem = submitProblem(review.sections, answers);
  const items = flatItems(review.sections);
  const rescoring = review.status === 'disputed' && how === 'rescored';
  const resolveAs = (h: Resolution) => {
    // Upholding keeps the submitted answers: drop any change made while re-scoring.
    if (h === 'upheld') show(review);
    setHow(h);
  };
  const problemText = problem && (
    <Typography.Text type="warning">{t(problem.why === 'unscored' ? 'quality.needsScore' : 'quality.needsComment', { item: items[problem.index]?.item.label ?? '' })}</Typography.Text>
  );

  return (
    <Row gutter={16}>
      <Col xs={24} lg={11}>
        <Card title={t('quality.material')} size="small">
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t('quality.agent')}>{review.agent_name}</Descriptions.Item>
            <Descriptions.Item label={t('quality.queue')}>{review.queue_name}</Descriptions.Item>
            <Descriptions.Item label={t('quality.channel')}>{t(`quality.channel.${review.channel}` as 'quality.channel.voice')}</Descriptions.Item>
            <Descriptions.Item label={t('quality.closedAt')}>{new Date(review.contact_at).toLocaleString()}</Descriptions.Item>
            {material?.title && <Descriptions.Item label={t('quality.subject')}>{material.title}</Descriptions.Item>}
            {material?.summary && <Descriptions.Item label={t('quality.summary')}>{material.summary}</Descriptions.Item>}
          </Descriptions>
          {material?.calls.filter((c) => c.recording).map((c) => (
            <audio key={c.id} controls preload="metadata" src={recordingUrl(c.id, getToken())} style={{ width: '100%' }} data-testid="review-audio" />
          ))}
          {material && material.messages.length > 0 && (
            <List
              size="small"
              data-testid="review-transcript"
              dataSource={material.messages as { id: string; sender: string; body: unknown; at: string }[]}
              renderItem={(m) => (
                <List.Item>
                  <Space direction="vertical" size={0}>
                    <Typography.Text type="secondary">{t(m.sender === 'customer' ? 'quality.customer' : 'quality.agent')} · {new Date(m.at).toLocaleTimeString()}</Typography.Text>
                    <span>{typeof m.body === 'string' ? m.body : JSON.stringify(m.body)}</span>
                  </Space>
                </List.Item>
              )}
            />
          )}
          {material && material.messages.length === 0 && !material.calls.some((c) => c.recording) && <Empty description={t('quality.noMaterial')} />}
        </Card>
      </Col>
      <Col xs={24} lg={13}>
        <Card
          size="small"
          title={<Space>{review.scorecard_name}<Tag data-testid="review-status">{t(`quality.status.${review.status}` as 'quality.status.draft')}</Tag></Space>}
        >
          {review.dispute_reason && <Alert type="warning" showIcon style={{ marginBottom: 8 }} message={t('quality.disputeReason')} description={review.dispute_reason} />}
          {review.resolution_note && <Alert type="info" showIcon style={{ marginBottom: 8 }} message={t(`quality.resolution.${review.resolution}` as 'quality.resolution.upheld')} description={review.resolution_note} />}
          <ScoreForm
            sections={review.sections}
            answers={answers}
            comment={comment}
            readOnly={review.status !== 'draft' && !rescoring}
            commentReadOnly={rescoring}
            onChange={(a, c) => {
              setAnswers(a);
              setComment(c);
            }}
          />
          {review.status === 'draft' && (
            <Space direction="vertical" style={{ width: '100%' }}>
              {problemText}
              <Space>
                <Button loading={busy} data-testid="review-save" onClick={() => void act(() => qualityApi.save(id, answers, comment), t('common.saved'))}>{t('quality.saveDraft')}</Button>
                <Button type="primary" loading={busy} disabled={!!problem} data-testid="review-submit" onClick={() => void act(() => qualityApi.submit(id, answers, comment), t('quality.submitted'))}>
                  {t('quality.submit')}
                </Button>
              </Space>
            </Space>
          )}
          {review.status === 'disputed' && (
            <Resolve id={id} how={how} onHow={resolveAs} answers={answers} problem={rescoring ? problemText : null} busy={busy} act={act} />
          )}
        </Card>
      </Col>
    </Row>
  );
}

type Resolution = 'upheld' | 'rescored';

interface ResolveProps {
  id: string;
  how: Resolution;
  onHow: (how: Resolution) => void;
  answers: ReviewAnswer[];
  /** What still blocks a re-score (as for a submit), or null. */
  problem: ReactNode;
  busy: boolean;
  act: (f: () => Promise<QualityReview>, done: string) => Promise<void>;
}

function Resolve({ id, how, onHow, answers, problem, busy, act }: ResolveProps) {
  const t = useT();
  const [note, setNote] = useState('');
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="review-resolve">
      <Radio.Group value={how} onChange={(e) => onHow(e.target.value as Resolution)} data-testid="resolve-how"
        options={[{ value: 'upheld', label: t('quality.resolution.upheld') }, { value: 'rescored', label: t('quality.resolution.rescored') }]} />
      {problem}
      <Input.TextArea rows={2} placeholder={t('quality.resolutionNote')} value={note} data-testid="resolve-note" onChange={(e) => setNote(e.target.value)} />
      <Button type="primary" loading={busy} disabled={!note.trim() || !!problem} data-testid="resolve-submit"
        onClick={() => void act(() => qualityApi.resolve(id, how, note, how === 'rescored' ? answers : undefined), t('quality.resolved'))}>
        {t('quality.resolve')}
      </Button>
    </Space>
  );
}
