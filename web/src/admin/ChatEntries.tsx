// Chat entry points (M1): a customer chat page per entry, its widget tag, and the queue it feeds.
import { useMemo, useState } from 'react';
import {
  Alert, App as AntApp, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Tooltip, Typography,
  type FormInstance,
} from 'antd';
import { CodeOutlined, CopyOutlined, DeleteOutlined, PlusOutlined, ReloadOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { chatEntriesApi, queuesApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { ChatEntry, Queue } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { useT } from '../i18n';
import { useLoad } from '../util/useLoad';
import { copyText } from '../util/clipboard';
import FormModal from '../components/FormModal';
import {
  customerPagePreview, customerPageUrl, embedSnippet, isEntryName, isSecretOk, newSecret, normalizeEntryName, signedEmbedSnippet, textRule,
} from './rules';

interface EntryForm {
  name: string;
  title: string;
  queue_id: string;
  prechat_form: boolean;
  identity_secret?: string;
}

/** A copy-to-clipboard button that says whether it worked. */
function CopyButton({ text, testId, label }: { text: string; testId: string; label?: boolean }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const copy = async () => {
    if (await copyText(text)) message.success(t('entries.copied'));
    else message.error(t('entries.copyFailed'));
  };
  const button = (
    <Button size="small" type={label ? 'default' : 'text'} icon={<CopyOutlined />} onClick={() => void copy()} aria-label={t('entries.copy')} data-testid={testId}>
      {label ? t('entries.copy') : null}
    </Button>
  );
  return label ? button : <Tooltip title={t('entries.copy')}>{button}</Tooltip>;
}

export default function ChatEntriesPage() {
  const t = useT();
  const { message } = AntApp.useApp();
  const { me } = useAuth();
  const tenant = me?.tenant ?? '';
  const origin = window.location.origin;
  const entries = useLoad<ChatEntry[]>(() => chatEntriesApi.list(), []);
  const queues = useLoad<Queue[]>(() => queuesApi.list(), []);
  const [creating, setCreating] = useState(false);
  const [embedOf, setEmbedOf] = useState<ChatEntry | null>(null);

  const chatQueues = useMemo(() => queues.data.filter((q) => q.channel === 'chat'), [queues.data]);
  const queueName = (id: string) => queues.data.find((q) => q.id === id)?.name;

  const remove = async (e: ChatEntry) => {
    try {
      await chatEntriesApi.remove(e.id);
      message.success(t('common.deleted'));
      void entries.reload();
    } catch (err) {
      message.error(errorText(err, t));
    }
  };

  const loadError = entries.error ?? queues.error;

  return (
    <Card
      title={t('entries.title')}
      extra={
        <Space wrap>
          <Button icon={<ReloadOutlined />} onClick={() => void Promise.all([entries.reload(), queues.reload()])} aria-label={t('common.refresh')} />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="entries-add">
            {t('entries.add')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('entries.intro')}</Typography.Paragraph>
      {loadError != null && <Alert type="error" showIcon message={errorText(loadError, t)} style={{ marginBottom: 16 }} />}
      <Table<ChatEntry>
        rowKey="id"
        loading={entries.loading}
        dataSource={entries.data}
        data-testid="entries-table"
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        onRow={(e) => ({ 'data-testid': `entry-row-${e.name}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('entries.name'), dataIndex: 'name', render: (n: string) => <Typography.Text code>{n}</Typography.Text> },
          { title: t('entries.chatTitle'), dataIndex: 'title' },
          {
            title: t('entries.queue'),
            dataIndex: 'queue_id',
            render: (id: string) => queueName(id) ?? <Typography.Text type="secondary">{queues.loading ? '…' : t('entries.unknownQueue')}</Typography.Text>,
          },
          {
            title: t('entries.prechat'),
            dataIndex: 'prechat_form',
            render: (b: boolean) => (b ? <Tag color="blue">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>),
          },
          {
            title: t('entries.identity'),
            dataIndex: 'verifies_identities',
            render: (b: boolean) => (b ? <Tag color="green">{t('entries.verifies')}</Tag> : <Tag>{t('entries.anonymous')}</Tag>),
          },
          {
            title: t('entries.customerPage'),
            key: 'url',
            render: (_, e) => {
              const url = customerPageUrl(origin, tenant, e.name);
              return (
                <Space size={4}>
                  <Typography.Link href={url} target="_blank" rel="noopener" data-testid={`entry-url-${e.name}`}>
                    {url}
                  </Typography.Link>
                  <CopyButton text={url} testId={`entry-url-copy-${e.name}`} />
                </Space>
              );
            },
          },
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            render: (_, e) => (
              <Space size={0}>
                <Button type="link" size="small" icon={<CodeOutlined />} onClick={() => setEmbedOf(e)} data-testid={`entry-embed-${e.name}`}>
                  {t('entries.embed')}
                </Button>
                <Popconfirm title={t('entries.confirmDelete', { name: e.name })} onConfirm={() => remove(e)} okText={t('common.ok')} cancelText={t('common.cancel')}>
                  <Tooltip title={t('common.delete')}>
                    <Button type="link" size="small" danger icon={<DeleteOutlined />} data-testid={`entry-delete-${e.name}`} />
                  </Tooltip>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <EntryModal
        open={creating}
        tenant={tenant}
        origin={origin}
        chatQueues={chatQueues}
        onClose={() => setCreating(false)}
        onDone={() => void entries.reload()}
      />
      <EmbedModal entry={embedOf} tenant={tenant} origin={origin} onClose={() => setEmbedOf(null)} />
    </Card>
  );
}

function EntryModal({ open, tenant, origin, chatQueues, onClose, onDone }: {
  open: boolean;
  tenant: string;
  origin: string;
  chatQueues: Queue[];
  onClose: () => void;
  onDone: () => void;
}) {
  const t = useT();
  return (
    <FormModal<EntryForm>
      open={open}
      title={t('entries.add')}
      okText={t('common.create')}
      okTestId="entry-form-submit"
      formTestId="entry-form"
      successText={t('common.created')}
      width={600}
      initialValues={{ name: '', title: '', prechat_form: false, identity_secret: '', queue_id: chatQueues.length === 1 ? chatQueues[0].id : undefined }}
      banner={
        chatQueues.length === 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            message={t('entries.noChatQueue')}
            action={<Link to="/admin/queues" onClick={onClose}>{t('menu.queues')}</Link>}
            data-testid="entry-no-chat-queue"
          />
        )
      }
      onSubmit={(v) => {
        const secret = v.identity_secret ?? '';
        return chatEntriesApi.create({
          name: normalizeEntryName(v.name),
          title: v.title.trim(),
          queue_id: v.queue_id,
          prechat_form: !!v.prechat_form,
          ...(secret ? { identity_secret: secret } : {}),
        });
      }}
      onClose={onClose}
      onDone={onDone}
    >
      {(form) => (
        <>
          <Form.Item
            name="name"
            label={t('entries.name')}
            required
            normalize={(v: string) => v.toLowerCase()}
            rules={[{ validator: (_, v) => (isEntryName(String(v ?? '')) ? Promise.resolve() : Promise.reject(new Error(t('entries.nameInvalid')))) }]}
            // The page's address as it will be, while typing.
            extra={<NamePreview form={form} tenant={tenant} origin={origin} />}
          >
            <Input autoComplete="off" maxLength={32} placeholder="web" data-testid="entry-form-name" />
          </Form.Item>
          <Form.Item name="title" label={t('entries.chatTitle')} extra={t('entries.chatTitleHelp')} required rules={[textRule(t, 100, { required: true })]}>
            <Input data-testid="entry-form-title" />
          </Form.Item>
          <Form.Item name="queue_id" label={t('entries.queue')} extra={t('entries.queueHelp')} rules={[{ required: true, message: t('common.required') }]}>
            <Select
              data-testid="entry-form-queue"
              disabled={chatQueues.length === 0}
              options={chatQueues.map((q) => ({ value: q.id, label: q.name }))}
            />
          </Form.Item>
          <Form.Item name="prechat_form" label={t('entries.prechat')} extra={t('entries.prechatHelp')} valuePropName="checked">
            <Switch data-testid="entry-form-prechat" />
          </Form.Item>
          <Form.Item label={t('entries.secret')} extra={t('entries.secretHelp')}>
            <Space.Compact style={{ width: '100%' }}>
              <Form.Item
                name="identity_secret"
                noStyle
                rules={[{ validator: (_, v: string | undefined) => (isSecretOk(v ?? '') ? Promise.resolve() : Promise.reject(new Error(t('entries.secretInvalid')))) }]}
              >
                <Input autoComplete="off" spellCheck={false} allowClear data-testid="entry-form-secret" />
              </Form.Item>
              <Button icon={<ThunderboltOutlined />} onClick={() => form.setFieldsValue({ identity_secret: newSecret() })} data-testid="entry-form-secret-generate">
                {t('entries.secretGenerate')}
              </Button>
            </Space.Compact>
          </Form.Item>
          <SecretCopy form={form} />
        </>
      )}
    </FormModal>
  );
}

function NamePreview({ form, tenant, origin }: { form: FormInstance<EntryForm>; tenant: string; origin: string }) {
  const t = useT();
  const name = normalizeEntryName(String(Form.useWatch('name', form) ?? ''));
  return <span data-testid="entry-form-url-preview">{t('entries.nameHelp', { url: customerPagePreview(origin, tenant, name) })}</span>;
}

/** Copy the secret before saving: it is never shown again. */
function SecretCopy({ form }: { form: FormInstance<EntryForm> }) {
  const secret = String(Form.useWatch('identity_secret', form) ?? '');
  if (!secret || !isSecretOk(secret)) return null;
  return (
    <div style={{ marginTop: -12, marginBottom: 16 }}>
      <CopyButton text={secret} testId="entry-form-secret-copy" label />
    </div>
  );
}

function EmbedModal({ entry, tenant, origin, onClose }: { entry: ChatEntry | null; tenant: string; origin: string; onClose: () => void }) {
  const t = useT();
  if (!entry) return null;
  const snippet = embedSnippet(origin, tenant, entry.name);
  const signed = signedEmbedSnippet(origin, tenant, entry.name);
  const url = customerPageUrl(origin, tenant, entry.name);
  const pre = { margin: 0, padding: 12, background: '#f6f8fa', border: '1px solid #e5e7eb', borderRadius: 6, whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12 } as const;
  return (
    <Modal
      open
      title={t('entries.embedTitle', { name: entry.name })}
      onCancel={onClose}
      footer={<Button onClick={onClose}>{t('common.close')}</Button>}
      width={680}
      destroyOnHidden
    >
      <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="entry-embed-dialog">
        <div>
          <Typography.Text type="secondary">{t('entries.customerPage')}: </Typography.Text>
          <Typography.Link href={url} target="_blank" rel="noopener">{url}</Typography.Link>
        </div>
        <Typography.Text>{t('entries.embedHelp')}</Typography.Text>
        <pre style={pre} data-testid="entry-snippet">{snippet}</pre>
        <CopyButton text={snippet} testId="entry-snippet-copy" label />
        <Typography.Text type="secondary">{t('entries.embedLang')}</Typography.Text>
        {entry.verifies_identities && (
          <>
            <Typography.Text type="secondary">{t('entries.embedSigned')}</Typography.Text>
            <pre style={pre} data-testid="entry-snippet-signed">{signed}</pre>
          </>
        )}
      </Space>
    </Modal>
  );
}
