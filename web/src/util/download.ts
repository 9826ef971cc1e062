import { fetchBlob } from '../api/client';

/** Save a Blob under a file name through a temporary link. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Fetch an API file with the bearer token and save it. */
export async function downloadWithToken(path: string, filename: string): Promise<void> {
  saveBlob(await fetchBlob(path), filename);
}
