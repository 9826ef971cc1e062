// "New ticket" button: opens the create dialog (loaded on first use). With a `contactId` (the
// workbench's contact card, a call record) the form is filled from the contact and the ticket is
// linked to it.
import { lazy, Suspense, useState } from 'react';
import { App as AntApp, Button, type ButtonProps } from 'antd';
import { FileAddOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { useT } from '../i18n';
import { ticketPath } from './events';
import type { Ticket } from './types';

const CreateTicketDialog = lazy(() => import('./CreateTicketDialog'));

interface Props {
  contactId?: string;
  /** The button's text ("New ticket" by default). */
  label?: string;
  /** After creating; by default a link to the new ticket is offered. */
  onCreated?: (t: Ticket) => void;
  size?: ButtonProps['size'];
  type?: ButtonProps['type'];
  testId?: string;
}

export function CreateTicketButton({ contactId, label, onCreated, size, type, testId = 'ticket-create' }: Props) {
  const t = useT();
  const { hasPermission } = useAuth();
  const { notification } = AntApp.useApp();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  if (!hasPermission('tickets.work')) return null;

  const created = (ticket: Ticket) => {
    if (onCreated) {
      onCreated(ticket);
      return;
    }
    notification.success({
      key: `ticket-created-${ticket.id}`,
      message: t('tk.create.done', { number: ticket.number }),
      description: (
        <a
          href={ticketPath(ticket.id)}
          onClick={(e) => {
            e.preventDefault();
            notification.destroy(`ticket-created-${ticket.id}`);
            navigate(ticketPath(ticket.id));
          }}
          data-testid="ticket-created-link"
        >
          {t('tk.open')}
        </a>
      ),
    });
  };

  return (
    <>
      <Button icon={<FileAddOutlined />} size={size} type={type} onClick={() => setOpen(true)} data-testid={testId}>
        {label ?? t('tk.create.button')}
      </Button>
      {open && (
        <Suspense fallback={null}>
          <CreateTicketDialog open contactId={contactId} onClose={() => setOpen(false)} onCreated={created} />
        </Suspense>
      )}
    </>
  );
}

export default CreateTicketButton;
