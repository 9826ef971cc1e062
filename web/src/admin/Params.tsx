import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, InputNumber, Radio, Select, Skeleton, Space, Switch } from 'antd';
import { paramsApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { PostSignInState, TenantParams, TenantSignInMode } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { useT } from '../i18n';
import { useLoad } from '../util/useLoad';
import { applyFieldError } from '../util/formErrors';

const STATES: PostSignInState[] = ['idle', 'wrap_up', 'busy'];
const MODES: TenantSignInMode[] = ['agent_configured', 'unified_automatic', 'unified_specified'];

/** The IANA zones the browser knows (the server checks the name against its own database). */
function timeZones(current?: string | null): string[] {
  // Intl.supportedValuesOf is ES2022; older browsers get a short list.
  const supported = (Intl as { supportedValuesOf?: (key: 'timeZone') => string[] }).supportedValuesOf;
  const known: string[] =
    typeof supported === 'function'
      ? supported('timeZone')
      : ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Taipei', 'Asia/Singapore', 'Asia/Tokyo', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'UTC'];
  return current && !known.includes(current) ? [current, ...known] : known;
}

export default function ParamsPage() {
  const t = useT();
  const { message } = AntApp.useApp();
  const { hasPermission } = useAuth();
  const canEdit = hasPermission('params.manage');
  const params = useLoad<TenantParams | null>(() => paramsApi.get(), null);
  const [form] = Form.useForm<TenantParams>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (params.data) form.setFieldsValue(params.data);
  }, [params.data, form]);

  const submit = async (v: TenantParams) => {
    setBusy(true);
    try {
      const saved = await paramsApi.put({ ...params.data!, ...v });
      params.setData(saved ?? v);
      message.success(t('common.saved'));
    } catch (e) {
      const text = errorText(e, t);
      if (!applyFieldError(form, e, t)) message.error(text);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('params.title')} style={{ maxWidth: 880 }}>
      <Alert
        type="info"
        showIcon
        message={t('params.precedenceTitle')}
        description={
          <>
            <div>{t('params.precedence')}</div>
            <div>{t('params.applyNext')}</div>
          </>
        }
        style={{ marginBottom: 24 }}
        data-testid="params-precedence"
      />
      {!canEdit && <Alert type="warning" showIcon message={t('params.readOnly')} style={{ marginBottom: 16 }} />}
      {params.error != null && <Alert type="error" showIcon message={errorText(params.error, t)} style={{ marginBottom: 16 }} />}
      {!params.data && params.loading ? (
        <Skeleton active />
      ) : (
        <Form<TenantParams> form={form} layout="vertical" onFinish={submit} disabled={!canEdit || !params.data} data-testid="params-form">
          <Form.Item name="post_sign_in_state" label={t('params.postSignInState')} extra={t('params.postSignInStateHelp')}>
            <Radio.Group optionType="button" data-testid="param-post-sign-in-state">
              {STATES.map((s) => (
                <Radio.Button key={s} value={s} data-testid={`param-state-${s}`}>
                  {t(`params.state.${s}`)}
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
          <Form.Item name="sign_in_mode" label={t('params.signInMode')} extra={t('params.signInModeHelp')}>
            <Radio.Group data-testid="param-sign-in-mode">
              <Space direction="vertical">
                {MODES.map((m) => (
                  <Radio key={m} value={m} data-testid={`param-mode-${m}`}>
                    {t(`params.mode.${m}`)}
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          </Form.Item>
          <Form.Item name="auto_answer" label={t('params.autoAnswer')} extra={t('params.autoAnswerHelp')} valuePropName="checked">
            <Switch data-testid="param-auto-answer" />
          </Form.Item>
          <Form.Item
            name="wrap_up_limit_s"
            label={t('params.wrapUpLimit')}
            extra={t('params.wrapUpLimitHelp')}
            rules={[{ required: true, type: 'integer', min: 0, max: 86400, message: '0–86400' }]}
          >
            <InputNumber min={0} max={86400} precision={0} suffix={t('common.seconds')} style={{ width: 220 }} data-testid="param-wrap-up-limit" />
          </Form.Item>
          <Form.Item name="summary_required" label={t('params.summaryRequired')} extra={t('params.summaryRequiredHelp')} valuePropName="checked">
            <Switch data-testid="param-summary-required" />
          </Form.Item>
          <Form.Item
            name="offer_timeout_s"
            label={t('params.offerTimeout')}
            extra={t('params.offerTimeoutHelp')}
            rules={[{ required: true, type: 'integer', min: 5, max: 300, message: '5–300' }]}
          >
            <InputNumber min={5} max={300} precision={0} suffix={t('common.seconds')} style={{ width: 220 }} data-testid="param-offer-timeout" />
          </Form.Item>
          <Form.Item
            name="no_answer_limit"
            label={t('params.noAnswerLimit')}
            extra={t('params.noAnswerLimitHelp')}
            rules={[{ required: true, type: 'integer', min: 0, max: 100, message: '0–100' }]}
          >
            <InputNumber min={0} max={100} precision={0} style={{ width: 220 }} data-testid="param-no-answer-limit" />
          </Form.Item>
          <Form.Item name="chat_during_call" label={t('params.chatDuringCall')} extra={t('params.chatDuringCallHelp')} valuePropName="checked">
            <Switch data-testid="param-chat-during-call" />
          </Form.Item>
          <Form.Item
            name="task_limit"
            label={t('params.taskLimit')}
            extra={t('params.taskLimitHelp')}
            rules={[{ required: true, type: 'integer', min: 1, max: 50, message: '1–50' }]}
          >
            <InputNumber min={1} max={50} precision={0} style={{ width: 220 }} data-testid="param-task-limit" />
          </Form.Item>
          <Form.Item
            name="familiar_wait_s"
            label={t('params.familiarWait')}
            extra={t('params.familiarWaitHelp')}
            rules={[{ required: true, type: 'integer', min: 0, max: 600, message: '0–600' }]}
          >
            <InputNumber min={0} max={600} precision={0} suffix={t('common.seconds')} style={{ width: 220 }} data-testid="param-familiar-wait" />
          </Form.Item>
          <Form.Item
            name="recall_limit_s"
            label={t('params.recallLimit')}
            extra={t('params.recallLimitHelp')}
            rules={[{ required: true, type: 'integer', min: 0, max: 3600, message: '0–3600' }]}
          >
            <InputNumber min={0} max={3600} precision={0} suffix={t('common.seconds')} style={{ width: 220 }} data-testid="param-recall-limit" />
          </Form.Item>
          <Form.Item
            name="time_zone"
            label={t('params.timeZone')}
            extra={t('params.timeZoneHelp')}
            rules={[{ required: true, message: t('params.timeZone') }]}
          >
            <Select
              showSearch
              style={{ width: 320 }}
              options={timeZones(params.data?.time_zone).map((z) => ({ value: z, label: z }))}
              data-testid="param-time-zone"
            />
          </Form.Item>
          {canEdit && (
            <Space>
              <Button type="primary" htmlType="submit" loading={busy} data-testid="params-save">
                {t('common.save')}
              </Button>
              <Button onClick={() => params.data && form.setFieldsValue(params.data)}>{t('common.cancel')}</Button>
            </Space>
          )}
        </Form>
      )}
    </Card>
  );
}
