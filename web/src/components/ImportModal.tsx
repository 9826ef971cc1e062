// The spreadsheet import dialog that users and customers share: download a template, choose a
// .csv or .xlsx, upload; the server imports all rows or none and answers a per-row report.
import { useState } from 'react';
import { Alert, App as AntApp, Button, Modal, Space, Table, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { ApiError } from '../api/client';
import { errorText, rowErrorText } from '../api/errors';
import type { ImportResult, ImportRowError } from '../api/types';
import { useT } from '../i18n';
import { downloadWithToken } from '../util/download';
import { tid } from '../util/testid';

const MAX_BYTES = 5 * 1024 * 1024;

type Result = { kind: 'created'; n: number } | { kind: 'rejected'; errors: ImportRowError[]; message: string } | { kind: 'error'; message: string };

/** A template to offer for download: the button's text, the API path and the file's name. */
export interface ImportTemplate {
  label: string;
  path: string;
  filename: string;
  testId: string;
}

export interface ImportModalProps {
  open: boolean;
  onClose: () => void;
  onDone: () => void;
  templates: ImportTemplate[];
  send: (file: File) => Promise<ImportResult>;
  title?: string;
}

export default function ImportModal({ open, onClose, onDone, templates, send, title }: ImportModalProps) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);

  const close = () => {
    setFile(null);
    setResult(null);
    onClose();
  };

  const download = async (tpl: ImportTemplate) => {
    try {
      await downloadWithToken(tpl.path, tpl.filename);
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  const upload = async () => {
    if (!file) {
      message.warning(t('import.noFile'));
      return;
    }
    setBusy(true);
    setResult(null);
    try {
      const res = await send(file);
      setResult({ kind: 'created', n: res.created });
      onDone();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'import_rejected') {
        setResult({ kind: 'rejected', errors: e.errors ?? [], message: e.message });
      } else {
        setResult({ kind: 'error', message: errorText(e, t) });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={title ?? t('import.title')}
      onCancel={close}
      width={720}
      footer={[
        <Button key="close" onClick={close}>
          {t('common.close')}
        </Button>,
        <Button key="upload" type="primary" loading={busy} disabled={!file} onClick={() => void upload()} {...tid('import-submit')}>
          {t('import.upload')}
        </Button>,
      ]}
      destroyOnHidden
    >
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Typography.Paragraph style={{ marginBottom: 0 }}>{t('import.step1')}</Typography.Paragraph>
        <Space wrap>
          {templates.map((tpl) => (
            <Button key={tpl.path} icon={<DownloadOutlined />} onClick={() => void download(tpl)} data-testid={tpl.testId}>
              {tpl.label}
            </Button>
          ))}
        </Space>
        <Typography.Paragraph style={{ marginBottom: 0 }}>{t('import.step2')}</Typography.Paragraph>
        <Upload.Dragger
          accept=".csv,.xlsx"
          maxCount={1}
          multiple={false}
          fileList={file ? [{ uid: '1', name: file.name, size: file.size, status: 'done' }] : []}
          beforeUpload={(f) => {
            const lower = f.name.toLowerCase();
            if (!lower.endsWith('.csv') && !lower.endsWith('.xlsx')) {
              message.error(t('import.badType'));
              return Upload.LIST_IGNORE;
            }
            if (f.size > MAX_BYTES) {
              message.error(t('import.tooLarge'));
              return Upload.LIST_IGNORE;
            }
            setFile(f);
            setResult(null);
            return false;
          }}
          onRemove={() => {
            setFile(null);
            setResult(null);
          }}
          data-testid="import-file"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('import.choose')} (.csv / .xlsx)</p>
        </Upload.Dragger>
        {result?.kind === 'created' && (
          <Alert type="success" showIcon message={t('import.created', { n: result.n })} data-testid="import-created" />
        )}
        {result?.kind === 'error' && <Alert type="error" showIcon message={result.message} data-testid="import-error" />}
        {result?.kind === 'rejected' && (
          <div data-testid="import-rejected">
            <Alert type="error" showIcon message={t('import.rejected', { n: result.errors.length })} style={{ marginBottom: 8 }} />
            <Table<ImportRowError>
              size="small"
              rowKey={(r, i) => `${r.row}-${r.column}-${i}`}
              dataSource={result.errors}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              columns={[
                { title: t('import.row'), dataIndex: 'row', width: 80 },
                { title: t('import.column'), dataIndex: 'column', width: 140 },
                { title: t('import.message'), dataIndex: 'message', render: (m: string) => rowErrorText(m, t) },
              ]}
            />
          </div>
        )}
      </Space>
    </Modal>
  );
}
