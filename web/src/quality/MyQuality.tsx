// The agent's own quality reviews (我的质检): scores, the reviewer's comments per item, and
// acknowledging or disputing a submitted review with a reason.
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Input, Modal, Space, Tag } from 'antd';
import { qualityApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { QualityReview } from '../api/types';
import { useT } from '../i18n';
import { useLoad } from '../util/useLoad';
import ScoreForm from './ScoreForm';
import { ReviewTable } from './Reviews';

export default function MyQuality() {
  const t = useT();
  const { message } = AntApp.useApp();
  const list = useLoad(() => qualityApi.mine(), [] as QualityReview[]);
  const [open, setOpen] = useState<string | null>(null);
  const [disputing, setDisputing] = useState(false);
  const [reason, setReason] = useState('');
  const review = list.data.find((r) => r.id === open);

  /** Whether it went through (a refused dispute keeps its dialog and reason). */
  const act = async (f: () => Promise<QualityReview>, done: string): Promise<boolean> => {
    try {
      const r = await f();
      list.setData(list.data.map((x) => (x.id === r.id ? r : x)));
      message.success(done);
      return true;
    } catch (e) {
      message.error(errorText(e, t));
      return false;
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card title={t('quality.mine')}>
        <ReviewTable rows={list.data} loading={list.loading} onOpen={setOpen} />
      </Card>
      {review && (
        <Card
          data-testid="my-review"
          title={<Space>{review.scorecard_name}<Tag data-testid="my-review-status">{t(`quality.status.${review.status}` as 'quality.status.draft')}</Tag></Space>}
          extra={review.status === 'submitted' && (
            <Space>
              <Button type="primary" data-testid="my-acknowledge" onClick={() => void act(() => qualityApi.acknowledge(review.id), t('quality.acknowledged'))}>{t('quality.acknowledge')}</Button>
              <Button data-testid="my-dispute" onClick={() => setDisputing(true)}>{t('quality.dispute')}</Button>
            </Space>
          )}
        >
          {review.dispute_reason && <Alert type="warning" showIcon style={{ marginBottom: 8 }} message={t('quality.disputeReason')} description={review.dispute_reason} />}
          {review.resolution_note && <Alert type="info" showIcon style={{ marginBottom: 8 }} message={t(`quality.resolution.${review.resolution}` as 'quality.resolution.upheld')} description={review.resolution_note} />}
          <ScoreForm sections={review.sections} answers={review.answers} comment={review.comment} readOnly />
        </Card>
      )}
      <Modal
        open={disputing && !!review}
        title={t('quality.dispute')}
        okButtonProps={{ disabled: !reason.trim(), id: 'dispute-ok' }}
        onCancel={() => setDisputing(false)}
        onOk={async () => {
          if (!review || !(await act(() => qualityApi.dispute(review.id, reason), t('quality.disputed')))) return;
          setDisputing(false);
          setReason('');
        }}
      >
        <Input.TextArea rows={3} placeholder={t('quality.disputeReason')} value={reason} data-testid="dispute-reason" onChange={(e) => setReason(e.target.value)} />
      </Modal>
    </Space>
  );
}
