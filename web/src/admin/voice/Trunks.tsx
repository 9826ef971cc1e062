// 中继: carriers and PBXs that calls come in through, recognised by their peer addresses, and
// where outbound calls through them go (the provider's outbound proxy, else the registrar).
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, Input, InputNumber, Popconfirm, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { voiceApi } from '../../api/endpoints';
import { errorText } from '../../api/errors';
import type { Trunk } from '../../api/types';
import { useT, type TFunc } from '../../i18n';
import { useLoad } from '../../util/useLoad';
import FormModal from '../../components/FormModal';
import { textRule } from '../rules';
import { isProviderHost, peersProblem, splitPeers } from './rules';
import { trunkBody } from './trunk';
import { isProxyHost } from './outbound';

interface TrunkForm {
  name: string;
  peers: string;
  enabled: boolean;
  registers: boolean;
  domain: string;
  port: number;
  username: string;
  password: string;
  expires_s: number;
  proxied: boolean;
  proxy_host: string;
  proxy_port: number;
}

function peersRule(t: TFunc, registers: () => boolean) {
  return {
    validator: (_: unknown, v: string | undefined) => {
      const p = peersProblem(v ?? '', registers());
      if (p === null) return Promise.resolve();
      const text =
        p === 'empty' ? t('voice.trunk.peersEmpty')
        : p === 'tooMany' ? t('voice.trunk.peersTooMany')
        : 'bad' in p ? t('voice.trunk.peerBad', { peer: p.bad })
        : t('voice.trunk.peerTwice', { peer: p.twice });
      return Promise.reject(new Error(text));
    },
  };
}

export default function TrunksPage() {
  const t = useT();
  const { message } = AntApp.useApp();
  const trunks = useLoad<Trunk[]>(() => voiceApi.trunks(), []);
  // null: closed; 'new': creating; a trunk: editing it.
  const [editing, setEditing] = useState<Trunk | 'new' | null>(null);
  const current = editing !== 'new' ? editing : null;

  const remove = async (tr: Trunk) => {
    try {
      await voiceApi.removeTrunk(tr.id);
      message.success(t('common.deleted'));
      void trunks.reload();
    } catch (err) {
      message.error(errorText(err, t));
    }
  };

  return (
    <Card
      title={t('voice.trunk.title')}
      extra={
        <Space wrap>
          <Button icon={<ReloadOutlined />} onClick={() => void trunks.reload()} aria-label={t('common.refresh')} />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="trunks-add">
            {t('voice.trunk.add')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('voice.trunk.intro')}</Typography.Paragraph>
      {trunks.error != null && <Alert type="error" showIcon message={errorText(trunks.error, t)} style={{ marginBottom: 16 }} />}
      <Table<Trunk>
        rowKey="id"
        loading={trunks.loading}
        dataSource={trunks.data}
        data-testid="trunks-table"
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        onRow={(tr) => ({ 'data-testid': `trunk-row-${tr.name}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('voice.trunk.name'), dataIndex: 'name' },
          {
            title: t('voice.trunk.peers'),
            dataIndex: 'peers',
            render: (peers: string[]) => peers.map((p) => <Tag key={p}>{p}</Tag>),
          },
          {
            title: t('voice.trunk.registration'),
            key: 'registration',
            render: (_, tr) =>
              !tr.registration ? <Typography.Text type="secondary">—</Typography.Text>
              : (
                <Space size={4} data-testid={`trunk-registered-${tr.name}`} data-registered={String(tr.registered)}>
                  <span>{tr.registration.username}@{tr.registration.domain}</span>
                  {tr.registered === true ? <Tag color="green">{t('voice.trunk.registered')}</Tag>
                    : tr.registered === false ? <Tag color="red">{t('voice.trunk.notRegistered')}</Tag>
                    : <Tag>{t('voice.trunk.registering')}</Tag>}
                </Space>
              ),
          },
          {
            title: t('voice.out.proxy'),
            key: 'outbound_proxy',
            render: (_, tr) =>
              tr.outbound_proxy ? <span data-testid={`trunk-proxy-${tr.name}`}>{tr.outbound_proxy.host}:{tr.outbound_proxy.port}</span>
              : tr.registration ? <Typography.Text type="secondary">{t('voice.out.viaRegistrar')}</Typography.Text>
              : <Typography.Text type="secondary">—</Typography.Text>,
          },
          {
            title: t('voice.trunk.enabled'),
            dataIndex: 'enabled',
            render: (b: boolean) => (b ? <Tag color="green">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            render: (_, tr) => (
              <Space size={0}>
                <Tooltip title={t('common.edit')}>
                  <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(tr)} aria-label={t('common.edit')} data-testid={`trunk-edit-${tr.name}`} />
                </Tooltip>
                <Popconfirm title={t('voice.trunk.confirmDelete', { name: tr.name })} onConfirm={() => remove(tr)} okText={t('common.ok')} cancelText={t('common.cancel')}>
                  <Tooltip title={t('common.delete')}>
                    <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} data-testid={`trunk-delete-${tr.name}`} />
                  </Tooltip>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <FormModal<TrunkForm>
        open={editing !== null}
        formKey={current?.id ?? 'new'}
        title={t(current ? 'voice.trunk.edit' : 'voice.trunk.add')}
        okText={current ? undefined : t('common.create')}
        okTestId="trunk-form-submit"
        formTestId="trunk-form"
        successText={t(current ? 'common.saved' : 'common.created')}
        initialValues={{
          name: current?.name ?? '',
          peers: current?.peers.join(', ') ?? '',
          enabled: current?.enabled ?? true,
          registers: !!current?.registration,
          domain: current?.registration?.domain ?? '',
          port: current?.registration?.port ?? 5060,
          username: current?.registration?.username ?? '',
          password: '',
          expires_s: current?.registration?.expires_s ?? 600,
          proxied: !!current?.outbound_proxy,
          proxy_host: current?.outbound_proxy?.host ?? '',
          proxy_port: current?.outbound_proxy?.port ?? 5060,
        }}
        onSubmit={(v) => {
          const body = trunkBody({ ...v, peers: splitPeers(v.peers) });
          return current ? voiceApi.updateTrunk(current.id, body) : voiceApi.createTrunk(body);
        }}
        onClose={() => setEditing(null)}
        onDone={() => void trunks.reload()}
      >
        <Form.Item name="name" label={t('voice.trunk.name')} required rules={[textRule(t, 64, { required: true })]}>
          <Input maxLength={64} data-testid="trunk-form-name" />
        </Form.Item>
        <Form.Item noStyle dependencies={['registers']}>
          {(form) => (
            <Form.Item name="peers" label={t('voice.trunk.peers')} extra={t('voice.trunk.peersHelp')} required={!form.getFieldValue('registers')} rules={[peersRule(t, () => !!form.getFieldValue('registers'))]}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} spellCheck={false} placeholder="192.0.2.10, 192.0.2.11" data-testid="trunk-form-peers" />
            </Form.Item>
          )}
        </Form.Item>
        <Form.Item name="registers" label={t('voice.trunk.registers')} valuePropName="checked" extra={t('voice.trunk.registersHelp')}>
          <Switch data-testid="trunk-form-registers" />
        </Form.Item>
        <Form.Item noStyle dependencies={['registers']}>
          {(form) =>
            form.getFieldValue('registers') === true && (
              <>
                <Space wrap align="start">
                  <Form.Item name="domain" label={t('voice.trunk.domain')} rules={[{ required: true, validator: (_, v: string) => (isProviderHost(v ?? '') ? Promise.resolve() : Promise.reject(new Error(t('voice.trunk.domainBad')))) }]}>
                    <Input placeholder="sip.carrier.example" data-testid="trunk-form-domain" />
                  </Form.Item>
                  <Form.Item name="port" label={t('voice.trunk.port')}>
                    <InputNumber min={1} max={65535} />
                  </Form.Item>
                </Space>
                <Space wrap align="start">
                  <Form.Item name="username" label={t('voice.trunk.username')} rules={[{ required: true, max: 64 }]}>
                    <Input autoComplete="off" data-testid="trunk-form-username" />
                  </Form.Item>
                  <Form.Item name="password" label={t('voice.trunk.password')} extra={current?.registration ? t('voice.trunk.passwordKeep') : undefined} rules={[{ required: !current?.registration, max: 128 }]}>
                    <Input.Password autoComplete="new-password" data-testid="trunk-form-password" />
                  </Form.Item>
                  <Form.Item name="expires_s" label={t('voice.trunk.expires')}>
                    <InputNumber min={60} max={3600} addonAfter={t('voice.queue.seconds')} />
                  </Form.Item>
                </Space>
              </>
            )
          }
        </Form.Item>

        <Form.Item name="proxied" label={t('voice.out.proxyOn')} valuePropName="checked" extra={t('voice.out.proxyHelp')}>
          <Switch data-testid="trunk-form-proxied" />
        </Form.Item>
        <Form.Item noStyle dependencies={['proxied']}>
          {(form) =>
            form.getFieldValue('proxied') === true && (
              <Space wrap align="start">
                <Form.Item name="proxy_host" label={t('voice.out.host')} rules={[{ required: true, validator: (_, v: string) => (isProxyHost(v ?? '') ? Promise.resolve() : Promise.reject(new Error(t('voice.out.hostBad')))) }]}>
                  <Input placeholder="sip.carrier.example" spellCheck={false} data-testid="trunk-form-proxy-host" />
                </Form.Item>
                <Form.Item name="proxy_port" label={t('voice.out.port')}>
                  <InputNumber min={1} max={65535} data-testid="trunk-form-proxy-port" />
                </Form.Item>
              </Space>
            )
          }
        </Form.Item>

        <Form.Item name="enabled" label={t('voice.trunk.enabled')} valuePropName="checked">
          <Switch data-testid="trunk-form-enabled" />
        </Form.Item>
      </FormModal>
    </Card>
  );
}
