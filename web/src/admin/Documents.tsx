// The document library (M2): links agents send to customers as cards in a chat.
import { useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, Input, Popconfirm, Space, Table, Tooltip, Typography } from 'antd';
import { DeleteOutlined, LinkOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { libraryApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { LibraryDocument } from '../api/types';
import { useT } from '../i18n';
import { useLoad } from '../util/useLoad';
import FormModal from '../components/FormModal';
import { isHttpUrl, oneLine, textRule } from './rules';

interface DocumentForm {
  title: string;
  url: string;
  description?: string;
}

export default function DocumentsPage() {
  const t = useT();
  const { message } = AntApp.useApp();
  const docs = useLoad<LibraryDocument[]>(() => libraryApi.documents(), []);
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);

  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    if (!q) return docs.data;
    return docs.data.filter((d) => [d.title, d.url, d.description ?? ''].some((s) => s.toLowerCase().includes(q)));
  }, [docs.data, search]);

  const remove = async (d: LibraryDocument) => {
    try {
      await libraryApi.deleteDocument(d.id);
      message.success(t('common.deleted'));
      void docs.reload();
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  return (
    <Card
      title={t('docs.title')}
      extra={
        <Space wrap>
          <Input.Search allowClear placeholder={t('docs.search')} onChange={(e) => setSearch(e.target.value)} style={{ width: 220 }} data-testid="documents-search" />
          <Button icon={<ReloadOutlined />} onClick={() => void docs.reload()} aria-label={t('common.refresh')} />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="documents-add">
            {t('docs.add')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('docs.intro')}</Typography.Paragraph>
      {docs.error != null && <Alert type="error" showIcon message={errorText(docs.error, t)} style={{ marginBottom: 16 }} />}
      <Table<LibraryDocument>
        rowKey="id"
        loading={docs.loading}
        dataSource={rows}
        data-testid="documents-table"
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('docs.empty') }}
        onRow={(d) => ({ 'data-testid': `document-row-${d.title}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('docs.docTitle'), dataIndex: 'title', sorter: (a, b) => a.title.localeCompare(b.title) },
          {
            title: t('docs.url'),
            dataIndex: 'url',
            render: (url: string) => (
              <Typography.Link href={url} target="_blank" rel="noopener noreferrer" style={{ maxWidth: 360 }} ellipsis>
                <LinkOutlined /> {url}
              </Typography.Link>
            ),
          },
          {
            title: t('docs.description'),
            dataIndex: 'description',
            render: (s: string | null) => (s ? <Typography.Text style={{ maxWidth: 420 }} ellipsis={{ tooltip: s }}>{s}</Typography.Text> : '—'),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            width: 80,
            render: (_, d) => (
              <Popconfirm title={t('docs.confirmDelete', { name: d.title })} onConfirm={() => remove(d)} okText={t('common.ok')} cancelText={t('common.cancel')}>
                <Tooltip title={t('common.delete')}>
                  <Button type="link" size="small" danger icon={<DeleteOutlined />} data-testid={`document-delete-${d.title}`} />
                </Tooltip>
              </Popconfirm>
            ),
          },
        ]}
      />
      <FormModal<DocumentForm>
        open={creating}
        title={t('docs.add')}
        okText={t('common.create')}
        okTestId="document-form-submit"
        formTestId="document-form"
        successText={t('common.created')}
        width={560}
        onSubmit={(v) => {
          const description = oneLine(v.description ?? '');
          return libraryApi.createDocument({ title: v.title.trim(), url: v.url.trim(), ...(description ? { description } : {}) });
        }}
        onClose={() => setCreating(false)}
        onDone={() => void docs.reload()}
      >
        <Form.Item name="title" label={t('docs.docTitle')} required rules={[textRule(t, 100, { required: true })]}>
          <Input data-testid="document-form-title" />
        </Form.Item>
        <Form.Item
          name="url"
          label={t('docs.url')}
          required
          extra={t('docs.urlHelp')}
          rules={[
            textRule(t, 2000, { required: true }),
            { validator: (_, v) => (!v || !String(v).trim() || isHttpUrl(String(v)) ? Promise.resolve() : Promise.reject(new Error(t('docs.urlInvalid')))) },
          ]}
        >
          <Input placeholder="https://" inputMode="url" data-testid="document-form-url" />
        </Form.Item>
        <Form.Item
          name="description"
          label={t('docs.description')}
          extra={t('docs.descriptionHelp')}
          rules={[textRule(t, 500, { flatten: true })]}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} data-testid="document-form-description" />
        </Form.Item>
      </FormModal>
    </Card>
  );
}
