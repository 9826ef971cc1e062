// The agent's reply box: text with emoji (the customer page's emoji set), Enter to send and
// Shift+Enter for a new line, canned replies (insert on click; add / delete personal ones), the
// document library (sends a link card) and a file / image button. Canned replies and documents
// are not shown when this server lacks them (see useLibrary).
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { App as AntApp, Button, Empty, Form, Input, Popconfirm, Popover, Radio, Segmented, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, FileTextOutlined, MessageOutlined, PaperClipOutlined, PlusOutlined, SendOutlined, SmileOutlined } from '@ant-design/icons';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import { EMOJI } from '../../chat/emoji';
import { charCount } from '../../chat/model';
import { MAX_MESSAGE_CHARS } from '../../chat/protocol';
import { errorText } from '../../api/errors';
import type { CannedReply, CannedScope, LibraryDocument } from '../../api/types';
import type { TFunc } from '../../i18n';
import { CANNED_TEXT_MAX, CANNED_TITLE_MAX, FILE_ACCEPT, insertAt, MAX_FILE_BYTES } from './model';
import type { Library } from './useLibrary';

interface Props {
  t: TFunc;
  value: string;
  onChange: (v: string) => void;
  onSend: (text: string) => boolean;
  onTyping: () => void;
  onSendDocument: (doc: LibraryDocument) => void;
  onSendFile: (file: File) => void;
  library: Library;
  canManageTeam: boolean;
}

export default function Composer({ t, value, onChange, onSend, onTyping, onSendDocument, onSendFile, library, canManageTeam }: Props) {
  const { message } = AntApp.useApp();
  const input = useRef<TextAreaRef>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [emojiOpen, setEmojiOpen] = useState(false);
  const [cannedOpen, setCannedOpen] = useState(false);
  const [docsOpen, setDocsOpen] = useState(false);
  const count = charCount(value.trim());
  const tooLong = count > MAX_MESSAGE_CHARS;

  const textarea = () => input.current?.resizableTextArea?.textArea ?? null;

  const insert = (text: string) => {
    const el = textarea();
    const { value: next, caret } = insertAt(value, text, el?.selectionStart, el?.selectionEnd);
    onChange(next);
    requestAnimationFrame(() => {
      const a = textarea();
      if (!a) return;
      a.focus();
      a.setSelectionRange(caret, caret);
    });
  };

  const submit = () => {
    if (tooLong || !value.trim()) return;
    if (onSend(value)) onChange('');
    textarea()?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter sends, Shift+Enter is a new line; never while an input method is composing.
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submit();
    }
  };

  const pickFile = (files: FileList | null) => {
    const file = files?.[0];
    if (fileInput.current) fileInput.current.value = '';
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      message.error(t('wb.chat.fileTooLarge'));
      return;
    }
    onSendFile(file);
  };

  return (
    <div className="cw-composer" data-testid="wb-chat-composer">
      <div className="cw-tools">
        <Popover
          open={emojiOpen}
          onOpenChange={setEmojiOpen}
          trigger="click"
          placement="topLeft"
          content={
            <div className="cw-emoji" data-testid="wb-chat-emoji-grid">
              {EMOJI.map((e) => (
                <button
                  key={e}
                  type="button"
                  className="cw-emoji-btn"
                  aria-label={e}
                  onClick={() => {
                    insert(e);
                    setEmojiOpen(false);
                  }}
                >
                  {e}
                </button>
              ))}
            </div>
          }
        >
          <Tooltip title={t('wb.chat.emoji')}>
            <Button type="text" icon={<SmileOutlined />} aria-label={t('wb.chat.emoji')} data-testid="wb-chat-emoji" />
          </Tooltip>
        </Popover>
        {library.repliesAvailable && (
          <Popover
            open={cannedOpen}
            onOpenChange={setCannedOpen}
            trigger="click"
            placement="topLeft"
            destroyOnHidden
            content={
              <CannedPanel
                t={t}
                library={library}
                canManageTeam={canManageTeam}
                onPick={(r) => {
                  insert(r.text);
                  setCannedOpen(false);
                }}
              />
            }
          >
            <Button type="text" icon={<MessageOutlined />} data-testid="wb-chat-canned">
              {t('wb.chat.canned')}
            </Button>
          </Popover>
        )}
        {library.documentsAvailable && (
          <Popover
            open={docsOpen}
            onOpenChange={setDocsOpen}
            trigger="click"
            placement="topLeft"
            destroyOnHidden
            content={
              <DocsPanel
                t={t}
                documents={library.documents ?? []}
                onPick={(d) => {
                  onSendDocument(d);
                  setDocsOpen(false);
                }}
              />
            }
          >
            <Button type="text" icon={<FileTextOutlined />} data-testid="wb-chat-docs">
              {t('wb.chat.docs')}
            </Button>
          </Popover>
        )}
        <Tooltip title={t('wb.chat.attach')}>
          <Button type="text" icon={<PaperClipOutlined />} aria-label={t('wb.chat.attach')} onClick={() => fileInput.current?.click()} data-testid="wb-chat-attach" />
        </Tooltip>
        <input ref={fileInput} type="file" accept={FILE_ACCEPT} hidden onChange={(e) => pickFile(e.target.files)} data-testid="wb-chat-file-input" />
        <span className="cw-tools-spacer" />
        {(tooLong || count > MAX_MESSAGE_CHARS - 500) && (
          <Typography.Text type={tooLong ? 'danger' : 'secondary'} className="cw-count" data-testid="wb-chat-count">
            {tooLong ? t('chat.input.tooLong', { n: MAX_MESSAGE_CHARS }) : `${count} / ${MAX_MESSAGE_CHARS}`}
          </Typography.Text>
        )}
      </div>
      <div className="cw-input-row">
        <Input.TextArea
          ref={input}
          value={value}
          autoSize={{ minRows: 2, maxRows: 6 }}
          placeholder={t('wb.chat.placeholder')}
          aria-label={t('wb.chat.placeholder')}
          variant="borderless"
          onChange={(e) => {
            onChange(e.target.value);
            if (e.target.value.trim()) onTyping();
          }}
          onKeyDown={onKeyDown}
          data-testid="wb-chat-input"
        />
        <Button type="primary" icon={<SendOutlined />} disabled={tooLong || !value.trim()} onClick={submit} data-testid="wb-chat-send">
          {t('wb.chat.send')}
        </Button>
      </div>
    </div>
  );
}

function CannedPanel({ t, library, canManageTeam, onPick }: { t: TFunc; library: Library; canManageTeam: boolean; onPick: (r: CannedReply) => void }) {
  const { message } = AntApp.useApp();
  const [query, setQuery] = useState('');
  const [scope, setScope] = useState<CannedScope | 'all'>('all');
  const [adding, setAdding] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ title: string; text: string; scope: CannedScope }>();
  const list = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (library.replies ?? [])
      .filter((r) => scope === 'all' || r.scope === scope)
      .filter((r) => !q || r.title.toLowerCase().includes(q) || r.text.toLowerCase().includes(q))
      .sort((a, b) => (a.scope === b.scope ? a.title.localeCompare(b.title) : a.scope === 'team' ? -1 : 1));
  }, [library.replies, query, scope]);

  const add = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await library.createReply(v.scope ?? 'personal', v.title.trim(), v.text.trim());
      form.resetFields();
      setAdding(false);
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="cw-panel" data-testid="wb-chat-canned-panel">
      <div className="cw-panel-head">
        <Input.Search size="small" allowClear placeholder={t('wb.chat.canned.search')} value={query} onChange={(e) => setQuery(e.target.value)} />
        <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding((v) => !v)} data-testid="wb-chat-canned-add">
          {t('wb.chat.canned.add')}
        </Button>
      </div>
      {adding && (
        <Form form={form} layout="vertical" size="small" className="cw-canned-form" initialValues={{ scope: 'personal' }} requiredMark={false}>
          {canManageTeam && (
            <Form.Item name="scope" label={t('wb.chat.canned.scope')} style={{ marginBottom: 6 }}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'personal', label: t('wb.chat.canned.personal') },
                  { value: 'team', label: t('wb.chat.canned.team') },
                ]}
              />
            </Form.Item>
          )}
          <Form.Item name="title" label={t('wb.chat.canned.title')} rules={[{ required: true, whitespace: true, message: t('wb.chat.canned.needTitle') }]} style={{ marginBottom: 6 }}>
            <Input maxLength={CANNED_TITLE_MAX} data-testid="wb-chat-canned-new-title" />
          </Form.Item>
          <Form.Item name="text" label={t('wb.chat.canned.text')} rules={[{ required: true, whitespace: true, message: t('wb.chat.canned.needText') }]} style={{ marginBottom: 8 }}>
            <Input.TextArea maxLength={CANNED_TEXT_MAX} autoSize={{ minRows: 2, maxRows: 5 }} data-testid="wb-chat-canned-new-text" />
          </Form.Item>
          <div className="cw-canned-form-actions">
            <Button size="small" onClick={() => setAdding(false)}>
              {t('common.cancel')}
            </Button>
            <Button size="small" type="primary" loading={saving} onClick={() => void add()} data-testid="wb-chat-canned-save">
              {t('common.save')}
            </Button>
          </div>
        </Form>
      )}
      <Segmented
        size="small"
        block
        value={scope}
        onChange={(v) => setScope(v as CannedScope | 'all')}
        options={[
          { value: 'all', label: t('common.all') },
          { value: 'team', label: t('wb.chat.canned.team') },
          { value: 'personal', label: t('wb.chat.canned.personal') },
        ]}
        style={{ margin: '8px 0' }}
      />
      <div className="cw-panel-list">
        {list.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('wb.chat.canned.empty')} />
        ) : (
          list.map((r) => {
            const deletable = r.scope === 'personal' || canManageTeam;
            return (
              <div key={r.id} className="cw-panel-item" data-testid="wb-chat-canned-item" data-id={r.id}>
                <button type="button" className="cw-panel-pick" onClick={() => onPick(r)} title={t('wb.chat.canned.hint')}>
                  <div className="cw-panel-title">
                    <Tag color={r.scope === 'team' ? 'blue' : 'default'} bordered={false}>
                      {t(r.scope === 'team' ? 'wb.chat.canned.team' : 'wb.chat.canned.personal')}
                    </Tag>
                    {r.title}
                  </div>
                  <div className="cw-panel-text">{r.text}</div>
                </button>
                {deletable && (
                  <Popconfirm
                    title={t('wb.chat.canned.deleteConfirm')}
                    onConfirm={async () => {
                      try {
                        await library.deleteReply(r.id);
                      } catch (e) {
                        message.error(errorText(e, t));
                      }
                    }}
                    okText={t('common.delete')}
                    cancelText={t('common.cancel')}
                  >
                    <Button type="text" size="small" icon={<DeleteOutlined />} aria-label={t('common.delete')} data-testid="wb-chat-canned-delete" />
                  </Popconfirm>
                )}
              </div>
            );
          })
        )}
      </div>
    </div>
  );
}

function DocsPanel({ t, documents, onPick }: { t: TFunc; documents: LibraryDocument[]; onPick: (d: LibraryDocument) => void }) {
  const [query, setQuery] = useState('');
  const list = useMemo(() => {
    const q = query.trim().toLowerCase();
    return documents.filter((d) => !q || d.title.toLowerCase().includes(q) || (d.description ?? '').toLowerCase().includes(q));
  }, [documents, query]);
  return (
    <div className="cw-panel" data-testid="wb-chat-docs-panel">
      <div className="cw-panel-head">
        <Input.Search size="small" allowClear placeholder={t('wb.chat.docs.search')} value={query} onChange={(e) => setQuery(e.target.value)} />
      </div>
      <Typography.Text type="secondary" className="cw-panel-hint">
        {t('wb.chat.docs.hint')}
      </Typography.Text>
      <div className="cw-panel-list">
        {list.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('wb.chat.docs.empty')} />
        ) : (
          list.map((d) => (
            <div key={d.id} className="cw-panel-item" data-testid="wb-chat-doc-item" data-id={d.id}>
              <button type="button" className="cw-panel-pick" onClick={() => onPick(d)}>
                <div className="cw-panel-title">
                  <FileTextOutlined /> {d.title}
                </div>
                {d.description && <div className="cw-panel-text">{d.description}</div>}
                <div className="cw-panel-url">{d.url}</div>
              </button>
            </div>
          ))
        )}
      </div>
    </div>
  );
}
