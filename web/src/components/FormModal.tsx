// One modal dialog holding one antd form: the shared create/edit dialog of the admin pages.
import { useState, type ReactNode } from 'react';
import { App as AntApp, Form, Modal, type FormInstance, type FormProps } from 'antd';
import { errorText } from '../api/errors';
import { useT } from '../i18n';
import { tid } from '../util/testid';
import { applyFieldError } from '../util/formErrors';

export interface FormModalProps<T> {
  open: boolean;
  /**
   * Identifies what the dialog edits (e.g. the record's id, or 'new'). Each opening, and each
   * change of this key, gets a fresh form instance: antd keeps old values in a reused one.
   */
  formKey?: string;
  title: ReactNode;
  /** The OK button's text; defaults to "Save". */
  okText?: string;
  /** `data-testid` of the OK button. */
  okTestId?: string;
  /** `data-testid` of the form element. */
  formTestId?: string;
  width?: number;
  /** Defaults to 'vertical'. */
  layout?: FormProps['layout'];
  initialValues?: Partial<T>;
  /** View only: the form is disabled, OK reads "Close" and closes, Cancel is hidden. */
  readOnly?: boolean;
  /** Shown above the form (e.g. an explanatory alert). */
  banner?: ReactNode;
  /** Toast after a successful submit. */
  successText?: string;
  /**
   * Send the values. Resolving closes the dialog (then `onDone` runs); resolving `false` keeps it
   * open (the handler has already said why). A rejection is shown on the field the API error
   * names when the form has it, else as an error toast; the dialog stays open.
   */
  onSubmit: (values: T, form: FormInstance<T>) => Promise<unknown>;
  onClose: () => void;
  /** After a successful submit and close (typically: reload the list). */
  onDone?: () => void;
  /** The form items; a function gets the form instance (for dependent fields). */
  children: ReactNode | ((form: FormInstance<T>) => ReactNode);
}

export default function FormModal<T extends object>(props: FormModalProps<T>) {
  return <FormModalBody<T> key={props.open ? `open:${props.formKey ?? ''}` : 'closed'} {...props} />;
}

function FormModalBody<T extends object>({
  open, title, okText, okTestId, formTestId, width, layout = 'vertical', initialValues, readOnly, banner, successText,
  onSubmit, onClose, onDone, children,
}: FormModalProps<T>) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<T>();
  const [busy, setBusy] = useState(false);

  const submit = async (values: T) => {
    setBusy(true);
    try {
      const result = await onSubmit(values, form);
      if (result === false) return;
      if (successText) message.success(successText);
      onClose();
      onDone?.();
    } catch (e) {
      const text = errorText(e, t);
      if (!applyFieldError(form, e, t)) message.error(text);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      onOk={() => (readOnly ? onClose() : form.submit())}
      okText={readOnly ? t('common.close') : (okText ?? t('common.save'))}
      cancelText={t('common.cancel')}
      cancelButtonProps={readOnly ? { style: { display: 'none' } } : undefined}
      confirmLoading={busy}
      okButtonProps={okTestId ? tid(okTestId) : undefined}
      width={width}
      destroyOnHidden
    >
      {banner}
      {open && (
        <Form<T>
          form={form}
          layout={layout}
          onFinish={(v) => void submit(v)}
          disabled={readOnly}
          initialValues={initialValues}
          data-testid={formTestId}
        >
          {typeof children === 'function' ? children(form) : children}
        </Form>
      )}
    </Modal>
  );
}
