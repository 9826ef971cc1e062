// Dialogs of the detail: a workflow action that needs a note or fields, transfer (to a skill
// group or a named agent, with a required note) and reopen (with a note).
import { useMemo, useState } from 'react';
import { Form, Input, Modal, Radio, Select } from 'antd';
import { ApiError } from '../api/client';
import { errorDetail } from '../api/errors';
import { useT } from '../i18n';
import { tid } from '../util/testid';
import { actionBody, actionFields, NOTE_MAX, REOPEN_NOTE_MAX, TRANSFER_NOTE_MAX } from './actions';
import { ticketsApi } from './api';
import { peopleOptions, type Directory } from './directory';
import { formValuesOf, toApiValue, type FormValue, type LayoutItem } from './fields';
import { fieldName, TicketFieldItems } from './FieldInput';
import type { Ticket, TicketActionOption, TicketType } from './types';
import type { TicketHandle } from './useTicket';

interface ActionProps {
  action: TicketActionOption | null;
  ticket: Ticket;
  type: TicketType | undefined;
  handle: TicketHandle;
  onClose: () => void;
}

/** Ask for the note and the required fields of a workflow action, then run it. */
export function ActionDialog({ action, ticket, type, handle, onClose }: ActionProps) {
  const t = useT();
  const [form] = Form.useForm<{ note?: string; f?: Record<string, FormValue> }>();
  const [busy, setBusy] = useState(false);
  const fields = useMemo(() => (action ? actionFields(action, type) : []), [action, type]);
  const items = useMemo<LayoutItem[]>(() => fields.map((field) => ({ field, width: 'full' })), [fields]);
  const initial = useMemo(() => ({ note: '', f: formValuesOf(items, ticket.fields) }), [items, ticket.fields]);

  const submit = async (v: { note?: string; f?: Record<string, FormValue> }) => {
    if (!action) return;
    const values: Record<string, ReturnType<typeof toApiValue>> = {};
    for (const { field } of items) values[field.code] = toApiValue(field, v.f?.[field.code]);
    setBusy(true);
    const result = await handle.run(() => ticketsApi.act(ticket.id, action.code, actionBody(v.note ?? '', values, ticket.version)), {
      onError: (e) => {
        if (!(e instanceof ApiError) || !e.field) return false;
        const text = errorDetail(e, t);
        if (e.field === 'note') form.setFields([{ name: 'note', errors: [text] }]);
        else if (items.some((i) => i.field.code === e.field)) form.setFields([{ name: fieldName(e.field), errors: [text] }]);
        else return false;
        return true;
      },
    });
    setBusy(false);
    // Done, or a conflict (the ticket was reloaded and the user told why): close.
    if (result !== 'error') onClose();
  };

  return (
    <Modal
      open={!!action}
      title={action ? t('tk.action.title', { action: action.label }) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={action?.label ?? t('common.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={tid('ticket-action-ok')}
      destroyOnHidden
      width={fields.length ? 640 : 520}
    >
      {action && (
        <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => void submit(v)} preserve={false}>
          {items.length > 0 && <TicketFieldItems items={items} />}
          <Form.Item
            name="note"
            label={t('tk.action.note')}
            required={action.requires_note}
            rules={[
              { required: action.requires_note, whitespace: true, message: t('tk.v.noteRequired') },
              { max: NOTE_MAX, message: t('tk.v.maxChars', { n: NOTE_MAX }) },
            ]}
          >
            <Input.TextArea autoFocus autoSize={{ minRows: 3, maxRows: 8 }} maxLength={NOTE_MAX} showCount data-testid="ticket-action-note" />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

interface TransferProps {
  open: boolean;
  ticket: Ticket;
  dir: Directory;
  myId: string;
  handle: TicketHandle;
  onClose: () => void;
}

interface TransferValues {
  target: 'group' | 'agent';
  group_id?: string;
  assignee_id?: string;
  note: string;
}

export function TransferDialog({ open, ticket, dir, myId, handle, onClose }: TransferProps) {
  const t = useT();
  const [form] = Form.useForm<TransferValues>();
  const target = Form.useWatch('target', form) ?? 'group';
  const [busy, setBusy] = useState(false);

  const submit = async (v: TransferValues) => {
    const to = v.target === 'group' ? { group_id: v.group_id as string } : { assignee_id: v.assignee_id as string };
    setBusy(true);
    const result = await handle.run(() => ticketsApi.transfer(ticket.id, to, v.note.trim()), {
      onError: (e) => {
        if (!(e instanceof ApiError) || !e.field) return false;
        const name = e.field === 'note' ? 'note' : e.field === 'group_id' ? 'group_id' : e.field === 'assignee_id' ? 'assignee_id' : null;
        if (!name) return false;
        form.setFields([{ name, errors: [errorDetail(e, t)] }]);
        return true;
      },
    });
    setBusy(false);
    // Done, or a conflict (the ticket was reloaded and the user told why): close.
    if (result !== 'error') onClose();
  };

  return (
    <Modal
      open={open}
      title={t('tk.transfer.title', { number: ticket.number })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('tk.transfer.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={tid('ticket-transfer-ok')}
      destroyOnHidden
    >
      <Form<TransferValues> form={form} layout="vertical" initialValues={{ target: 'group', note: '' }} onFinish={(v) => void submit(v)} preserve={false}>
        <Form.Item name="target" label={t('tk.transfer.to')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'group', label: t('tk.transfer.group') },
              { value: 'agent', label: t('tk.transfer.agent') },
            ]}
            data-testid="ticket-transfer-target"
          />
        </Form.Item>
        {target === 'group' ? (
          <Form.Item name="group_id" label={t('tk.col.group')} rules={[{ required: true, message: t('tk.transfer.needTarget') }]}>
            <Select
              showSearch
              optionFilterProp="label"
              options={dir.queues.map((q) => ({ value: q.id, label: q.name }))}
              placeholder={t('tk.form.choose')}
              data-testid="ticket-transfer-group"
            />
          </Form.Item>
        ) : (
          <Form.Item name="assignee_id" label={t('tk.transfer.agent')} rules={[{ required: true, message: t('tk.transfer.needTarget') }]} extra={t('tk.people.hint')}>
            <Select
              showSearch
              optionFilterProp="label"
              options={peopleOptions(dir, [], [myId, ...(ticket.assignee_id ? [ticket.assignee_id] : [])])}
              placeholder={t('tk.form.choose')}
              data-testid="ticket-transfer-agent"
            />
          </Form.Item>
        )}
        <Form.Item
          name="note"
          label={t('tk.transfer.note')}
          required
          rules={[
            { required: true, whitespace: true, message: t('tk.v.noteRequired') },
            { max: TRANSFER_NOTE_MAX, message: t('tk.v.maxChars', { n: TRANSFER_NOTE_MAX }) },
          ]}
        >
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={TRANSFER_NOTE_MAX} showCount placeholder={t('tk.transfer.notePlaceholder')} data-testid="ticket-transfer-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface ReopenProps {
  open: boolean;
  ticket: Ticket;
  handle: TicketHandle;
  onClose: () => void;
}

export function ReopenDialog({ open, ticket, handle, onClose }: ReopenProps) {
  const t = useT();
  const [form] = Form.useForm<{ note: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async (v: { note: string }) => {
    setBusy(true);
    const result = await handle.run(() => ticketsApi.reopen(ticket.id, v.note.trim()), {
      onError: (e) => {
        if (e instanceof ApiError && e.field === 'note') {
          form.setFields([{ name: 'note', errors: [errorDetail(e, t)] }]);
          return true;
        }
        return false;
      },
    });
    setBusy(false);
    // Done, or a conflict (the ticket was reloaded and the user told why): close.
    if (result !== 'error') onClose();
  };
  return (
    <Modal
      open={open}
      title={t('tk.reopen.title', { number: ticket.number })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('tk.reopen.button')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={tid('ticket-reopen-ok')}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ note: '' }} onFinish={(v) => void submit(v)} preserve={false}>
        <Form.Item
          name="note"
          label={t('tk.reopen.note')}
          extra={t('tk.reopen.help')}
          required
          rules={[
            { required: true, whitespace: true, message: t('tk.v.noteRequired') },
            { max: REOPEN_NOTE_MAX, message: t('tk.v.maxChars', { n: REOPEN_NOTE_MAX }) },
          ]}
        >
          <Input.TextArea autoFocus autoSize={{ minRows: 3, maxRows: 8 }} maxLength={REOPEN_NOTE_MAX} showCount data-testid="ticket-reopen-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
