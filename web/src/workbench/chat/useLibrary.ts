// Canned replies and the document library (M2, M11), and whether this server has them at all:
// `GET /canned-replies` or `GET /documents` answering 404 hides that part of the composer, and
// file sending is shown only when the server's OpenAPI document lists `POST /contacts/{id}/files`
// (there is nothing to GET for it). Nothing is faked when a server lacks an endpoint.
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
  filesAvailable: boolean;
  reloadReplies: () => Promise<void>;
  createReply: (scope: CannedScope, title: string, text: string) => Promise<void>;
  deleteReply: (id: string) => Promise<void>;
}

const FILES_PATH = '/api/v1/contacts/{id}/files';

/** Whether an OpenAPI document (as parsed JSON) lists a POST at `path`. */
export function openApiHasPost(doc: unknown, path: string): boolean {
  if (!doc || typeof doc !== 'object') return false;
  const paths = (doc as { paths?: unknown }).paths;
  if (!paths || typeof paths !== 'object') return false;
  const entry = (paths as Record<string, unknown>)[path];
  return !!entry && typeof entry === 'object' && 'post' in (entry as object);
}

let filesProbe: Promise<boolean> | null = null;

function probeFiles(): Promise<boolean> {
  if (!filesProbe) {
    filesProbe = fetch('/api/openapi.json', { headers: { Accept: 'application/json' } })
      .then((r) => (r.ok ? r.json() : null))
      .then((doc: unknown) => openApiHasPost(doc, FILES_PATH))
      .catch(() => {
        filesProbe = null;
        return false;
      });
  }
  return filesProbe;
}

const missing = (e: unknown) => e instanceof ApiError && (e.status === 404 || e.status === 405);

export function useLibrary(): Library {
  const [replies, setReplies] = useState<CannedReply[] | null>(null);
  const [documents, setDocuments] = useState<LibraryDocument[] | null>(null);
  const [repliesAvailable, setRepliesAvailable] = useState(false);
  const [documentsAvailable, setDocumentsAvailable] = useState(false);
  const [filesAvailable, setFilesAvailable] = useState(false);

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
    void probeFiles().then((ok) => alive && setFilesAvailable(ok));
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

  return { replies, documents, repliesAvailable, documentsAvailable, filesAvailable, reloadReplies, createReply, deleteReply };
}
