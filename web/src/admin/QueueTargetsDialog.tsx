// A queue's service-level target and wallboard colours (P1): the "80/20" (goal and answer
// time), the short-abandon time, and warning/alarm levels of waiting, longest wait, service
// level and abandon rate (`GET`/`PUT /queues/{id}/targets`). A refusal names a nested field
// (`waiting.alarm`), shown under that field.
import { Alert, Col, Divider, Form, InputNumber, Row, Typography } from 'antd';
import { ApiError } from '../api/client';
import { queuesApi } from '../api/endpoints';
import { errorDetail } from '../api/errors';
import type { Queue, QueueTargets } from '../api/types';
import { useT, type MessageKey } from '../i18n';
import FormModal from '../components/FormModal';

type Levelled = 'waiting' | 'longest_wait_s' | 'service_level' | 'abandon_rate';
const LEVELLED: { key: Levelled; label: MessageKey; unit: MessageKey; max: number; help: MessageKey }[] = [
  { key: 'waiting', label: 'targets.waiting', unit: 'targets.unit.contacts', max: 10_000, help: 'targets.atOrAbove' },
  { key: 'longest_wait_s', label: 'targets.longestWait', unit: 'common.seconds', max: 86_400, help: 'targets.atOrAbove' },
  { key: 'service_level', label: 'targets.serviceLevel', unit: 'targets.unit.percent', max: 100, help: 'targets.atOrBelow' },
  { key: 'abandon_rate', label: 'targets.abandonRate', unit: 'targets.unit.percent', max: 100, help: 'targets.atOrAbove' },
];

export interface TargetsOf {
  queue: Queue;
  targets: QueueTargets;
}

/** An empty level is sent as null (no colour). */
function normalised(v: QueueTargets): QueueTargets {
  const lv = (l: QueueTargets['waiting'] | undefined) => ({ warn: l?.warn ?? null, alarm: l?.alarm ?? null });
  return { ...v, waiting: lv(v.waiting), longest_wait_s: lv(v.longest_wait_s), service_level: lv(v.service_level), abandon_rate: lv(v.abandon_rate) };
}

export default function QueueTargetsDialog({ of, onClose }: { of: TargetsOf | null; onClose: () => void }) {
  const t = useT();
  return (
    <FormModal<QueueTargets>
      open={of !== null}
      formKey={of?.queue.id}
      title={of ? t('targets.title', { name: of.queue.name }) : ''}
      width={640}
      initialValues={of?.targets}
      okTestId="targets-save"
      formTestId="targets-form"
      successText={t('common.saved')}
      banner={<Alert type="info" showIcon message={t('targets.help')} style={{ marginBottom: 16 }} />}
      onSubmit={async (values, form) => {
        if (!of) return false;
        try {
          return await queuesApi.setTargets(of.queue.id, normalised(values));
        } catch (e) {
          // `waiting.alarm` is the form's ['waiting', 'alarm'].
          if (e instanceof ApiError && e.field) {
            form.setFields([{ name: e.field.split('.') as never, errors: [errorDetail(e, t)] }]);
            return false;
          }
          throw e;
        }
      }}
      onClose={onClose}
    >
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="service_level_goal" label={t('targets.goal')} rules={[{ required: true, message: t('common.required') }]}>
            <InputNumber min={1} max={100} addonAfter="%" style={{ width: '100%' }} data-testid="targets-goal" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="answer_within_s" label={t('targets.answerWithin')} rules={[{ required: true, message: t('common.required') }]}>
            <InputNumber min={1} max={3600} addonAfter={t('common.seconds')} style={{ width: '100%' }} data-testid="targets-within" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="short_abandon_s" label={t('targets.shortAbandon')} tooltip={t('targets.shortAbandonHelp')} rules={[{ required: true, message: t('common.required') }]}>
            <InputNumber min={0} max={600} addonAfter={t('common.seconds')} style={{ width: '100%' }} data-testid="targets-short" />
          </Form.Item>
        </Col>
      </Row>
      <Divider orientation="left" plain>
        {t('targets.colours')}
      </Divider>
      {LEVELLED.map((l) => (
        <Row gutter={16} key={l.key} align="middle">
          <Col span={8}>
            <Typography.Text strong>{t(l.label)}</Typography.Text>
            <br />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t(l.help)}
            </Typography.Text>
          </Col>
          <Col span={8}>
            <Form.Item name={[l.key, 'warn']} label={<span className="level-word-warn">{t('board.level.warn')}</span>}>
              <InputNumber min={0} max={l.max} addonAfter={t(l.unit)} style={{ width: '100%' }} data-testid={`targets-${l.key}-warn`} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={[l.key, 'alarm']} label={<span className="level-word-alarm">{t('board.level.alarm')}</span>}>
              <InputNumber min={0} max={l.max} addonAfter={t(l.unit)} style={{ width: '100%' }} data-testid={`targets-${l.key}-alarm`} />
            </Form.Item>
          </Col>
        </Row>
      ))}
    </FormModal>
  );
}
