// Import tickets from a sheet: choose category / type / template, download the matching .xlsx
// template, upload it filled in. A refused import lists every bad cell and offers the list as
// a CSV file (UTF-8 with BOM, so Excel shows Chinese).
import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Col, Form, Modal, Row, Select, Space, Table, TreeSelect, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { ApiError } from '../api/client';
import { errorText, rowErrorText } from '../api/errors';
import type { ImportRowError } from '../api/types';
import { useT } from '../i18n';
import { saveBlob } from '../util/download';
import { tid } from '../util/testid';
import { ticketsApi } from './api';
import { categoryTree } from './categories';
import { importErrorCsv, importFileProblem } from './importReport';
import type { ImportParams } from './types';
import { useTemplates, type TicketMeta } from './useTicketMeta';

type Result = { kind: 'created'; n: number } | { kind: 'rejected'; errors: ImportRowError[] } | { kind: 'error'; message: string };

interface Props {
  open: boolean;
  meta: TicketMeta;
  onClose: () => void;
  onImported: () => void;
}

export default function ImportDialog({ open, meta, onClose, onImported }: Props) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<ImportParams>();
  const typeId = Form.useWatch('type_id', form);
  const { templates, loading: templatesLoading } = useTemplates(typeId);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<'template' | 'upload' | null>(null);
  const [result, setResult] = useState<Result | null>(null);

  const firstType = meta.types.find((x) => x.active)?.id;
  // Types may arrive after the dialog opened: choose the first one then.
  useEffect(() => {
    if (open && firstType && !form.getFieldValue('type_id')) form.setFieldValue('type_id', firstType);
  }, [open, firstType, form]);

  useEffect(() => {
    if (!typeId || templatesLoading) return;
    const cur = form.getFieldValue('template_id') as string | undefined;
    if (!templates.some((x) => x.id === cur)) form.setFieldValue('template_id', templates[0]?.id);
  }, [typeId, templates, templatesLoading, form]);

  const params = async (): Promise<ImportParams | null> => {
    try {
      const v = await form.validateFields();
      return { type_id: v.type_id, template_id: v.template_id || undefined, category_id: v.category_id || undefined };
    } catch {
      return null;
    }
  };

  const download = async () => {
    const p = await params();
    if (!p) return;
    setBusy('template');
    try {
      const blob = await ticketsApi.importTemplate(p);
      const typeName = meta.typeById(p.type_id)?.name ?? 'tickets';
      saveBlob(blob, `${t('tk.import.templateFile', { type: typeName })}.xlsx`);
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setBusy(null);
    }
  };

  const upload = async () => {
    const p = await params();
    if (!p) return;
    if (!file) {
      message.warning(t('tk.import.noFile'));
      return;
    }
    setBusy('upload');
    setResult(null);
    try {
      const res = await ticketsApi.import(p, file);
      setResult({ kind: 'created', n: res.created });
      // The sheet is in: forget it, so another click cannot import the same rows twice.
      setFile(null);
      onImported();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'import_rejected') setResult({ kind: 'rejected', errors: e.errors ?? [] });
      else setResult({ kind: 'error', message: errorText(e, t) });
    } finally {
      setBusy(null);
    }
  };

  const downloadReport = (errors: ImportRowError[]) => {
    const csv = importErrorCsv(errors.map((e) => ({ ...e, message: rowErrorText(e.message, t) })), [t('import.row'), t('import.column'), t('import.message')]);
    const base = file?.name.replace(/\.(xlsx|csv)$/i, '') ?? 'tickets';
    saveBlob(new Blob([csv], { type: 'text/csv;charset=utf-8' }), `${base}-${t('tk.import.reportFile')}.csv`);
  };

  return (
    <Modal
      open={open}
      title={t('tk.import.title')}
      onCancel={onClose}
      width={760}
      destroyOnHidden
      footer={[
        <Button key="close" onClick={onClose}>
          {t('common.close')}
        </Button>,
        <Button key="upload" type="primary" loading={busy === 'upload'} disabled={!file} onClick={() => void upload()} {...tid('ticket-import-submit')}>
          {t('import.upload')}
        </Button>,
      ]}
    >
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Typography.Paragraph style={{ marginBottom: 0 }}>{t('tk.import.step1')}</Typography.Paragraph>
        <Form<ImportParams> form={form} layout="vertical" initialValues={{ type_id: firstType }}>
          <Row gutter={12}>
            <Col xs={24} md={8}>
              <Form.Item name="category_id" label={t('tk.col.category')} style={{ marginBottom: 8 }}>
                <TreeSelect allowClear showSearch treeNodeFilterProp="title" treeDefaultExpandAll treeData={categoryTree(meta.categories)} data-testid="ticket-import-category" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="type_id" label={t('tk.col.type')} rules={[{ required: true, message: t('tk.v.required') }]} style={{ marginBottom: 8 }}>
                <Select
                  showSearch
                  optionFilterProp="label"
                  options={meta.types.filter((x) => x.active).map((x) => ({ value: x.id, label: x.name }))}
                  onChange={() => setResult(null)}
                  data-testid="ticket-import-type"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="template_id" label={t('tk.form.template')} style={{ marginBottom: 8 }}>
                <Select allowClear loading={templatesLoading} options={templates.map((x) => ({ value: x.id, label: x.name }))} placeholder={t('tk.form.noTemplate')} data-testid="ticket-import-template" />
              </Form.Item>
            </Col>
          </Row>
        </Form>
        <Button icon={<DownloadOutlined />} loading={busy === 'template'} onClick={() => void download()} data-testid="ticket-import-download-template">
          {t('tk.import.downloadTemplate')}
        </Button>
        <Typography.Paragraph style={{ marginBottom: 0 }}>{t('tk.import.step2')}</Typography.Paragraph>
        <Upload.Dragger
          accept=".xlsx,.csv"
          maxCount={1}
          multiple={false}
          fileList={file ? [{ uid: '1', name: file.name, size: file.size, status: 'done' }] : []}
          beforeUpload={(f) => {
            const problem = importFileProblem(f);
            if (problem) {
              message.error(t(problem === 'type' ? 'tk.import.badType' : problem === 'size' ? 'tk.import.tooLarge' : 'tk.import.emptyFile'));
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
          data-testid="ticket-import-file"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('import.choose')} (.xlsx / .csv)</p>
        </Upload.Dragger>
        {result?.kind === 'created' && <Alert type="success" showIcon message={t('tk.import.created', { n: result.n })} data-testid="ticket-import-created" />}
        {result?.kind === 'error' && <Alert type="error" showIcon message={result.message} data-testid="ticket-import-error" />}
        {result?.kind === 'rejected' && (
          <div data-testid="ticket-import-rejected">
            <Alert
              type="error"
              showIcon
              message={t('tk.import.rejected', { n: result.errors.length })}
              action={
                <Button size="small" icon={<DownloadOutlined />} onClick={() => downloadReport(result.errors)} data-testid="ticket-import-report">
                  {t('tk.import.report')}
                </Button>
              }
              style={{ marginBottom: 8 }}
            />
            <Table<ImportRowError & { key: number }>
              size="small"
              dataSource={result.errors.map((e, i) => ({ ...e, key: i }))}
              pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
              columns={[
                { title: t('import.row'), dataIndex: 'row', width: 80 },
                { title: t('import.column'), dataIndex: 'column', width: 160 },
                { title: t('import.message'), dataIndex: 'message', render: (m: string) => rowErrorText(m, t) },
              ]}
            />
          </div>
        )}
      </Space>
    </Modal>
  );
}
