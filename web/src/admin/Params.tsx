import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, InputNumber, Radio, Select, Skeleton, Space, Switch } from 'antd';
import { paramsApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { PostSignInState, TenantParams, TenantSignInMode } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { useT } from '../i18n';
import { useLoad } from '../util/useLoad';
import { applyFieldError } from '../util/formErrors';
import { rangeRule, rangeText, type Ranged } from './ranges';
import DispositionCodes from './DispositionCodes';

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

/**
 * A number parameter with its allowed range in the help and as the rule. The input does not clamp:
 * a value outside the range is refused with the range, never quietly changed and saved.
 */
function NumberParam({ name, label, help, seconds, testId }: { name: Ranged; label: string; help: string; seconds?: boolean; testId: string }) {
  const t = useT();
  return (
    <Form.Item name={name} label={label} extra={`${help} ${rangeText(t, name)}`} rules={[rangeRule(t, name)]}>
      <InputNumber precision={0} suffix={seconds ? t('common.seconds') : undefined} style={{ width: 220 }} data-testid={testId} />
    </Form.Item>
  );
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
    <>
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
          <NumberParam name="wrap_up_limit_s" label={t('params.wrapUpLimit')} help={t('params.wrapUpLimitHelp')} seconds testId="param-wrap-up-limit" />
          <Form.Item name="summary_required" label={t('params.summaryRequired')} extra={t('params.summaryRequiredHelp')} valuePropName="checked">
            <Switch data-testid="param-summary-required" />
          </Form.Item>
          <NumberParam name="offer_timeout_s" label={t('params.offerTimeout')} help={t('params.offerTimeoutHelp')} seconds testId="param-offer-timeout" />
          <NumberParam name="no_answer_limit" label={t('params.noAnswerLimit')} help={t('params.noAnswerLimitHelp')} testId="param-no-answer-limit" />
          <Form.Item name="chat_during_call" label={t('params.chatDuringCall')} extra={t('params.chatDuringCallHelp')} valuePropName="checked">
            <Switch data-testid="param-chat-during-call" />
          </Form.Item>
          <NumberParam name="task_limit" label={t('params.taskLimit')} help={t('params.taskLimitHelp')} testId="param-task-limit" />
          <NumberParam name="familiar_wait_s" label={t('params.familiarWait')} help={t('params.familiarWaitHelp')} seconds testId="param-familiar-wait" />
          <NumberParam name="recall_limit_s" label={t('params.recallLimit')} help={t('params.recallLimitHelp')} seconds testId="param-recall-limit" />
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
    <DispositionCodes canEdit={canEdit} />
    </>
  );
}
