// Team canned replies (M11): shared by every agent; personal ones are kept in the workbench.
import { useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, Input, Popconfirm, Space, Table, Tooltip, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { libraryApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { CannedReply } from '../api/types';
import { useT } from '../i18n';
import { useLoad } from '../util/useLoad';
import FormModal from '../components/FormModal';
import { charCount, textRule } from './rules';

interface ReplyForm {
  title: string;
  text: string;
}

const TITLE_MAX = 64;
const TEXT_MAX = 2000;

export default function CannedRepliesPage() {
  const t = useT();
  const { message } = AntApp.useApp();
  // GET /canned-replies returns my personal replies and the team's: this page shows the team's.
  const replies = useLoad<CannedReply[]>(() => libraryApi.replies().then((rs) => rs.filter((r) => r.scope === 'team')), []);
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);

  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    if (!q) return replies.data;
    return replies.data.filter((r) => r.title.toLowerCase().includes(q) || r.text.toLowerCase().includes(q));
  }, [replies.data, search]);

  const remove = async (r: CannedReply) => {
    try {
      await libraryApi.deleteReply(r.id);
      message.success(t('common.deleted'));
      void replies.reload();
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  return (
    <Card
      title={t('canned.title')}
      extra={
        <Space wrap>
          <Input.Search allowClear placeholder={t('canned.search')} onChange={(e) => setSearch(e.target.value)} style={{ width: 220 }} data-testid="canned-search" />
          <Button icon={<ReloadOutlined />} onClick={() => void replies.reload()} aria-label={t('common.refresh')} />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="canned-add">
            {t('canned.add')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('canned.intro')}</Typography.Paragraph>
      {replies.error != null && <Alert type="error" showIcon message={errorText(replies.error, t)} style={{ marginBottom: 16 }} />}
      <Table<CannedReply>
        rowKey="id"
        loading={replies.loading}
        dataSource={rows}
        data-testid="canned-table"
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('canned.empty') }}
        onRow={(r) => ({ 'data-testid': `canned-row-${r.title}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('canned.replyTitle'), dataIndex: 'title', width: 220, sorter: (a, b) => a.title.localeCompare(b.title) },
          {
            title: t('canned.text'),
            dataIndex: 'text',
            render: (s: string) => (
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }} ellipsis={{ rows: 3, expandable: true }}>
                {s}
              </Typography.Paragraph>
            ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 80,
            render: (_, r) => (
              <Popconfirm title={t('canned.confirmDelete', { name: r.title })} onConfirm={() => remove(r)} okText={t('common.ok')} cancelText={t('common.cancel')}>
                <Tooltip title={t('common.delete')}>
                  <Button type="link" size="small" danger icon={<DeleteOutlined />} data-testid={`canned-delete-${r.title}`} />
                </Tooltip>
              </Popconfirm>
            ),
          },
        ]}
      />
      <FormModal<ReplyForm>
        open={creating}
        title={t('canned.add')}
        okText={t('common.create')}
        okTestId="canned-form-submit"
        formTestId="canned-form"
        successText={t('common.created')}
        width={600}
        onSubmit={(v) => libraryApi.createReply('team', v.title.trim(), v.text.trim())}
        onClose={() => setCreating(false)}
        onDone={() => void replies.reload()}
      >
        <Form.Item name="title" label={t('canned.replyTitle')} required rules={[textRule(t, TITLE_MAX, { required: true })]}>
          <Input count={{ show: true, max: TITLE_MAX, strategy: charCount }} data-testid="canned-form-title" />
        </Form.Item>
        <Form.Item name="text" label={t('canned.text')} required rules={[textRule(t, TEXT_MAX, { required: true, multiline: true })]}>
          <Input.TextArea autoSize={{ minRows: 4, maxRows: 12 }} count={{ show: true, max: TEXT_MAX, strategy: charCount }} data-testid="canned-form-text" />
        </Form.Item>
      </FormModal>
    </Card>
  );
}
