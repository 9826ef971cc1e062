// 提示音: prompts admins upload (WAV or MP3, converted to 8 kHz mono by the server) and the
// built-in ones; each can be listened to, uploaded ones renamed and deleted.
import { useRef, useState } from 'react';
import { App as AntApp, Alert, Button, Card, Input, Popconfirm, Space, Table, Tooltip, Typography } from 'antd';
import { DeleteOutlined, ReloadOutlined, SoundOutlined, UploadOutlined } from '@ant-design/icons';
import { voiceApi } from '../../api/endpoints';
import { errorText } from '../../api/errors';
import type { BuiltinPrompt, UploadedPrompt } from '../../api/types';
import { useT } from '../../i18n';
import { useLoad } from '../../util/useLoad';
import { playPrompt } from './flows/playPrompt';

const seconds = (ms: number) => (ms / 1000).toFixed(1);

export default function PromptsPage() {
  const t = useT();
  const { message } = AntApp.useApp();
  const prompts = useLoad<UploadedPrompt[]>(() => voiceApi.prompts(), []);
  const builtin = useLoad<BuiltinPrompt[]>(() => voiceApi.builtinPrompts(), []);
  const [name, setName] = useState('');
  const [uploading, setUploading] = useState(false);
  const file = useRef<HTMLInputElement>(null);

  const run = async (action: () => Promise<unknown>, done?: string) => {
    try {
      await action();
      if (done) message.success(done);
      void prompts.reload();
    } catch (err) {
      message.error(errorText(err, t));
    }
  };
  const upload = async (f: File) => {
    setUploading(true);
    await run(async () => {
      const p = await voiceApi.uploadPrompt(f, name.trim() || undefined);
      message.success(t('voice.prompt.uploaded', { name: p.name }));
      setName('');
    });
    setUploading(false);
    if (file.current) file.current.value = '';
  };
  const listen = (p: string) => playPrompt(p).catch((e: unknown) => message.error(errorText(e, t)));

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card title={t('voice.prompt.title')} extra={<Button icon={<ReloadOutlined />} onClick={() => void prompts.reload()} aria-label={t('common.refresh')} />}>
        <Typography.Paragraph type="secondary">{t('voice.prompt.intro')}</Typography.Paragraph>
        <Space wrap style={{ marginBottom: 16 }}>
          <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={64} placeholder={t('voice.prompt.namePlaceholder')} style={{ width: 260 }} data-testid="prompt-name" />
          <input
            ref={file}
            type="file"
            accept=".wav,.mp3,audio/wav,audio/x-wav,audio/mpeg"
            style={{ display: 'none' }}
            data-testid="prompt-file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void upload(f);
            }}
          />
          <Button type="primary" icon={<UploadOutlined />} loading={uploading} onClick={() => file.current?.click()} data-testid="prompt-upload">
            {t('voice.prompt.upload')}
          </Button>
        </Space>
        {prompts.error != null && <Alert type="error" showIcon message={errorText(prompts.error, t)} style={{ marginBottom: 16 }} />}
        <Table<UploadedPrompt>
          rowKey="id"
          loading={prompts.loading}
          dataSource={prompts.data}
          data-testid="prompts-table"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          onRow={(p) => ({ 'data-testid': `prompt-row-${p.name}` }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            {
              title: t('voice.prompt.name'),
              dataIndex: 'name',
              render: (n: string, p) => (
                <Typography.Text editable={{ onChange: (v) => v.trim() && v !== n && void run(() => voiceApi.renamePrompt(p.id, v.trim()), t('common.saved')) }}>{n}</Typography.Text>
              ),
            },
            { title: t('voice.prompt.duration'), dataIndex: 'duration_ms', render: (ms: number) => t('voice.prompt.seconds', { s: seconds(ms) }) },
            { title: t('voice.prompt.created'), dataIndex: 'created_at', render: (at: string) => new Date(at).toLocaleString() },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, p) => (
                <Space size={0}>
                  <Tooltip title={t('voice.flow.play')}>
                    <Button type="link" size="small" icon={<SoundOutlined />} onClick={() => void listen(p.prompt)} aria-label={t('voice.flow.play')} data-testid={`prompt-play-${p.name}`} />
                  </Tooltip>
                  <Popconfirm title={t('voice.prompt.confirmDelete', { name: p.name })} onConfirm={() => run(() => voiceApi.removePrompt(p.id), t('common.deleted'))} okText={t('common.ok')} cancelText={t('common.cancel')}>
                    <Tooltip title={t('common.delete')}>
                      <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} data-testid={`prompt-delete-${p.name}`} />
                    </Tooltip>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Card title={t('voice.prompt.builtin')} size="small">
        <Space wrap>
          {builtin.data.map((p) => (
            <Button key={p.prompt} icon={<SoundOutlined />} onClick={() => void listen(p.prompt)}>
              {p.prompt} · {t('voice.prompt.seconds', { s: seconds(p.duration_ms) })}
            </Button>
          ))}
        </Space>
      </Card>
    </Space>
  );
}
