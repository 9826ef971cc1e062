// 热线号码: the numbers customers dial, and where their calls go (an IVR flow, a voice skill queue, a SIP address, an extension);
// and whether agents may present one on outbound calls, through which trunk.
import { useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, Input, Popconfirm, Radio, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { queuesApi, voiceApi } from '../../api/endpoints';
import { errorText } from '../../api/errors';
import type { HotlineNumber, HotlineRoute, IvrFlow, Queue, SipExtension, Trunk } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { useT } from '../../i18n';
import { useLoad } from '../../util/useLoad';
import FormModal from '../../components/FormModal';
import { isDirectUri, isHotlineNumber, routeFields, routeOf, type NumberForm } from './rules';

export default function NumbersPage() {
  const t = useT();
  const { message } = AntApp.useApp();
  const { hasPermission } = useAuth();
  const numbers = useLoad<HotlineNumber[]>(() => voiceApi.numbers(), []);
  const queues = useLoad<Queue[]>(() => queuesApi.list(), []);
  const flows = useLoad<IvrFlow[]>(() => voiceApi.flows(), []);
  // Extensions are listed to whoever manages users; without that the number is typed.
  const canListExtensions = hasPermission('users.manage');
  const extensions = useLoad<SipExtension[]>(() => (canListExtensions ? voiceApi.extensions() : Promise.resolve([])), []);
  // Trunks are listed to whoever manages parameters; without that only the chosen one is named.
  const canListTrunks = hasPermission('params.manage');
  const trunks = useLoad<Trunk[]>(() => (canListTrunks ? voiceApi.trunks() : Promise.resolve([])), []);
  const [editing, setEditing] = useState<HotlineNumber | 'new' | null>(null);
  const current = editing !== 'new' ? editing : null;

  const voiceQueues = useMemo(() => queues.data.filter((q) => q.channel === 'voice'), [queues.data]);
  const withNumber = useMemo(() => extensions.data.filter((e) => e.number), [extensions.data]);
  // A trunk carries calls out through its outbound proxy or, when it registers, its registrar.
  const outboundTrunks = useMemo(() => trunks.data.filter((tr) => tr.outbound_proxy || tr.registration), [trunks.data]);
  const trunkName = (id: string) => trunks.data.find((tr) => tr.id === id)?.name ?? (trunks.loading ? '…' : canListTrunks ? t('voice.out.unknownTrunk') : id);

  const routeText = (r: HotlineRoute) => {
    switch (r.kind) {
      case 'queue':
        return queues.data.find((q) => q.id === r.queue_id)?.name ?? (queues.loading ? '…' : t('voice.num.unknownQueue'));
      case 'direct':
        return r.uri;
      case 'extension': {
        const who = extensions.data.find((e) => e.number === r.number);
        return who ? `${r.number} · ${who.display_name || who.login}` : r.number;
      }
      case 'flow':
        return flows.data.find((f) => f.id === r.flow_id)?.name ?? (flows.loading ? '…' : t('voice.num.unknownFlow'));
    }
  };

  const remove = async (n: HotlineNumber) => {
    try {
      await voiceApi.removeNumber(n.id);
      message.success(t('common.deleted'));
      void numbers.reload();
    } catch (err) {
      message.error(errorText(err, t));
    }
  };

  const loadError = numbers.error ?? queues.error;
  const initial: NumberForm = current
    ? { number: current.number, inbound: current.inbound, survey: current.survey, ...routeFields(current.route), outbound: current.outbound, outbound_trunk_id: current.outbound_trunk_id ?? undefined }
    : { number: '', inbound: true, survey: false, kind: 'queue', queue_id: voiceQueues.length === 1 ? voiceQueues[0].id : undefined, outbound: false };

  return (
    <Card
      title={t('voice.num.title')}
      extra={
        <Space wrap>
          <Button icon={<ReloadOutlined />} onClick={() => void Promise.all([numbers.reload(), queues.reload(), extensions.reload(), flows.reload(), trunks.reload()])} aria-label={t('common.refresh')} />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="numbers-add">
            {t('voice.num.add')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('voice.num.intro')}</Typography.Paragraph>
      {loadError != null && <Alert type="error" showIcon message={errorText(loadError, t)} style={{ marginBottom: 16 }} />}
      <Table<HotlineNumber>
        rowKey="id"
        loading={numbers.loading}
        dataSource={numbers.data}
        data-testid="numbers-table"
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        onRow={(n) => ({ 'data-testid': `number-row-${n.number}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('voice.num.number'), dataIndex: 'number', render: (n: string) => <Typography.Text code>{n}</Typography.Text> },
          {
            title: t('voice.num.route'),
            dataIndex: 'route',
            render: (r: HotlineRoute) => (
              <Space size={4}>
                <Tag color="blue">{t(`voice.num.route.${r.kind}`)}</Tag>
                <span data-testid="number-route">{routeText(r)}</span>
              </Space>
            ),
          },
          {
            title: t('voice.num.inbound'),
            dataIndex: 'inbound',
            render: (b: boolean) => (b ? <Tag color="green">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>),
          },
          {
            title: t('voice.num.survey'),
            dataIndex: 'survey',
            render: (b: boolean) => (b ? <Tag color="green">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>),
          },
          {
            title: t('voice.out.outbound'),
            key: 'outbound',
            render: (_, n) =>
              n.outbound && n.outbound_trunk_id ? <Tag color="green" data-testid={`number-outbound-${n.number}`}>{trunkName(n.outbound_trunk_id)}</Tag>
              : <Tag>{t('common.no')}</Tag>,
          },
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            render: (_, n) => (
              <Space size={0}>
                <Tooltip title={t('common.edit')}>
                  <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(n)} aria-label={t('common.edit')} data-testid={`number-edit-${n.number}`} />
                </Tooltip>
                <Popconfirm title={t('voice.num.confirmDelete', { number: n.number })} onConfirm={() => remove(n)} okText={t('common.ok')} cancelText={t('common.cancel')}>
                  <Tooltip title={t('common.delete')}>
                    <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} data-testid={`number-delete-${n.number}`} />
                  </Tooltip>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <FormModal<NumberForm>
        open={editing !== null}
        formKey={current?.id ?? 'new'}
        title={t(current ? 'voice.num.edit' : 'voice.num.add')}
        okText={current ? undefined : t('common.create')}
        okTestId="number-form-submit"
        formTestId="number-form"
        successText={t(current ? 'common.saved' : 'common.created')}
        width={560}
        initialValues={initial}
        onSubmit={(v) => {
          const body = {
            number: v.number.trim(), inbound: !!v.inbound, survey: !!v.survey, route: routeOf(v),
            outbound: !!v.outbound, outbound_trunk_id: v.outbound_trunk_id ?? null,
          };
          return current ? voiceApi.updateNumber(current.id, body) : voiceApi.createNumber(body);
        }}
        onClose={() => setEditing(null)}
        onDone={() => void numbers.reload()}
      >
        <Form.Item
          name="number"
          label={t('voice.num.number')}
          extra={t('voice.num.numberHelp')}
          required
          rules={[{ validator: (_, v) => (isHotlineNumber(String(v ?? '')) ? Promise.resolve() : Promise.reject(new Error(t('voice.num.numberInvalid')))) }]}
        >
          <Input inputMode="tel" autoComplete="off" maxLength={21} data-testid="number-form-number" />
        </Form.Item>
        <Space size="large">
          <Form.Item name="inbound" label={t('voice.num.inbound')} extra={t('voice.num.inboundHelp')} valuePropName="checked">
            <Switch data-testid="number-form-inbound" />
          </Form.Item>
          <Form.Item name="survey" label={t('voice.num.survey')} extra={t('voice.num.surveyHelp')} valuePropName="checked">
            <Switch data-testid="number-form-survey" />
          </Form.Item>
        </Space>
        <Form.Item name="outbound" label={t('voice.out.outbound')} extra={t('voice.out.outboundHelp')} valuePropName="checked">
          <Switch data-testid="number-form-outbound" />
        </Form.Item>
        <Form.Item noStyle dependencies={['outbound']}>
          {(form) =>
            form.getFieldValue('outbound') === true && (
              <>
                {canListTrunks && !trunks.loading && outboundTrunks.length === 0 && (
                  <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('voice.out.noTrunk')} action={<Link to="/admin/voice/trunks">{t('menu.voiceTrunks')}</Link>} />
                )}
                <Form.Item name="outbound_trunk_id" label={t('voice.out.trunk')} extra={t('voice.out.trunkHelp')} rules={[{ required: true, message: t('common.required') }]}>
                  <Select
                    data-testid="number-form-outbound-trunk"
                    options={
                      canListTrunks ? outboundTrunks.map((tr) => ({ value: tr.id, label: tr.name }))
                      : current?.outbound_trunk_id ? [{ value: current.outbound_trunk_id, label: current.outbound_trunk_id }] : []
                    }
                  />
                </Form.Item>
              </>
            )
          }
        </Form.Item>
        <Form.Item name="kind" label={t('voice.num.route')} required>
          <Radio.Group optionType="button" buttonStyle="solid" data-testid="number-form-kind">
            <Radio.Button value="queue"><span data-testid="number-form-kind-queue">{t('voice.num.route.queue')}</span></Radio.Button>
            <Radio.Button value="direct"><span data-testid="number-form-kind-direct">{t('voice.num.route.direct')}</span></Radio.Button>
            <Radio.Button value="extension"><span data-testid="number-form-kind-extension">{t('voice.num.route.extension')}</span></Radio.Button>
            <Radio.Button value="flow"><span data-testid="number-form-kind-flow">{t('voice.num.route.flow')}</span></Radio.Button>
          </Radio.Group>
        </Form.Item>
        <Form.Item noStyle shouldUpdate={(a: NumberForm, b: NumberForm) => a.kind !== b.kind}>
          {({ getFieldValue }) => {
            const kind = getFieldValue('kind') as NumberForm['kind'];
            if (kind === 'flow')
              return (
                <>
                  {flows.data.length === 0 && (
                    <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('voice.num.noFlow')} action={<Link to="/admin/voice/flows">{t('menu.voiceFlows')}</Link>} />
                  )}
                  <Form.Item name="flow_id" label={t('voice.num.pickFlow')} extra={t('voice.num.flowHelp')} rules={[{ required: true, message: t('common.required') }]}>
                    <Select data-testid="number-form-flow" options={flows.data.map((f) => ({ value: f.id, label: f.name }))} />
                  </Form.Item>
                </>
              );
            if (kind === 'queue')
              return (
                <>
                  {voiceQueues.length === 0 && (
                    <Alert
                      type="warning"
                      showIcon
                      style={{ marginBottom: 16 }}
                      message={t('voice.num.noVoiceQueue')}
                      action={<Link to="/admin/queues">{t('menu.queues')}</Link>}
                    />
                  )}
                  <Form.Item name="queue_id" label={t('voice.num.queue')} rules={[{ required: true, message: t('common.required') }]}>
                    <Select data-testid="number-form-queue" options={voiceQueues.map((q) => ({ value: q.id, label: q.name }))} />
                  </Form.Item>
                </>
              );
            if (kind === 'direct')
              return (
                <Form.Item
                  name="uri"
                  label={t('voice.num.uri')}
                  extra={t('voice.num.uriHelp')}
                  rules={[{ validator: (_, v) => (isDirectUri(String(v ?? '')) ? Promise.resolve() : Promise.reject(new Error(t('voice.num.uriInvalid')))) }]}
                >
                  <Input spellCheck={false} autoComplete="off" placeholder="sip:4000@192.0.2.10:5060" data-testid="number-form-uri" />
                </Form.Item>
              );
            return canListExtensions ? (
              <>
                {withNumber.length === 0 && <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('voice.num.noExtension')} />}
                <Form.Item name="extension" label={t('voice.num.extension')} rules={[{ required: true, message: t('common.required') }]}>
                  <Select
                    data-testid="number-form-extension"
                    showSearch
                    optionFilterProp="label"
                    options={withNumber.map((e) => ({ value: e.number!, label: `${e.number} · ${e.display_name || e.login}` }))}
                  />
                </Form.Item>
              </>
            ) : (
              <Form.Item name="extension" label={t('voice.num.extension')} rules={[{ required: true, message: t('common.required') }]}>
                <Input inputMode="numeric" maxLength={10} data-testid="number-form-extension" />
              </Form.Item>
            );
          }}
        </Form.Item>
      </FormModal>
    </Card>
  );
}
