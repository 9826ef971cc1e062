// Canned replies and the document library (M2, M11), and whether this server has them at all:
// `GET /canned-replies` or `GET /documents` answering 404 hides that part of the composer.
// Sending files needs no check: the UI ships inside the binary that serves the API.
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../api/client';
import { libraryApi } from '../../api/endpoints';
import type { CannedReply, CannedScope, LibraryDocument } from '../../api/types';

export interface Library {
  /** null: not loaded yet or this server has no canned replies. */
  replies: CannedReply[] | null;
  documents: LibraryDocument[] | null;
  repliesAvailable: boolean;
  documentsAvailable: boolean;
  reloadReplies: () => Promise<void>;
  createReply: (scope: CannedScope, title: string, text: string) => Promise<void>;
  deleteReply: (id: string) => Promise<void>;
}

const missing = (e: unknown) => e instanceof ApiError && (e.status === 404 || e.status === 405);

export function useLibrary(): Library {
  const [replies, setReplies] = useState<CannedReply[] | null>(null);
  const [documents, setDocuments] = useState<LibraryDocument[] | null>(null);
  const [repliesAvailable, setRepliesAvailable] = useState(false);
  const [documentsAvailable, setDocumentsAvailable] = useState(false);

  const reloadReplies = useCallback(async () => {
    try {
      const list = await libraryApi.replies();
      setReplies(list);
      setRepliesAvailable(true);
    } catch (e) {
      if (missing(e)) setRepliesAvailable(false);
    }
  }, []);

  useEffect(() => {
    let alive = true;
    void reloadReplies();
    libraryApi.documents().then(
      (list) => {
        if (!alive) return;
        setDocuments(list);
        setDocumentsAvailable(true);
      },
      (e) => {
        if (alive && missing(e)) setDocumentsAvailable(false);
      },
    );
    return () => {
      alive = false;
    };
  }, [reloadReplies]);

  const createReply = useCallback(
    async (scope: CannedScope, title: string, text: string) => {
      const r = await libraryApi.createReply(scope, title, text);
      setReplies((list) => [...(list ?? []), r]);
    },
    [],
  );

  const deleteReply = useCallback(async (id: string) => {
    await libraryApi.deleteReply(id);
    setReplies((list) => (list ?? []).filter((r) => r.id !== id));
  }, []);

  return { replies, documents, repliesAvailable, documentsAvailable, reloadReplies, createReply, deleteReply };
}
