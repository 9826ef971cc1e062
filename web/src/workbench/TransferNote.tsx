// The note a colleague left when transferring a call to me (M4): chats show it in the
// conversation, a call's card shows it here, read once from the contact's messages.
import { useEffect, useState } from 'react';
import { Alert } from 'antd';
import { chatApi, usersApi } from '../api/endpoints';
import { useT } from '../i18n';
import { lastTransferNote, type TransferNoteInfo } from './callControl';

export default function TransferNote({ contactId }: { contactId: string }) {
  const t = useT();
  const [info, setInfo] = useState<(TransferNoteInfo & { from: string | null }) | null>(null);

  useEffect(() => {
    let alive = true;
    void (async () => {
      try {
        const note = lastTransferNote(await chatApi.messages(contactId));
        if (!note || !alive) return;
        setInfo({ ...note, from: null });
        if (!note.fromAgentId) return;
        const who = (await usersApi.directory()).find((u) => u.id === note.fromAgentId);
        if (alive && who) setInfo({ ...note, from: who.display_name || who.login });
      } catch {
        // Without its messages the card is still usable: the note is a help, not the call.
      }
    })();
    return () => {
      alive = false;
    };
  }, [contactId]);

  if (!info) return null;
  return (
    <Alert
      type="info"
      showIcon
      className="transfer-note"
      message={info.from ? t('wb.call.transferNoteFrom', { name: info.from }) : t('wb.call.transferNoteTitle')}
      description={<span data-testid="contact-transfer-note">{info.note}</span>}
      data-testid="contact-transfer-note-box"
    />
  );
}
