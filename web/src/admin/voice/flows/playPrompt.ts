// Plays a prompt in the browser: fetched with the admin's token (an <audio> element cannot
// send one), played from an object URL that is let go when it ends.
import { fetchBlob } from '../../../api/client';
import { promptAudioPath } from './model';

let playing: HTMLAudioElement | null = null;

export async function playPrompt(prompt: string): Promise<void> {
  playing?.pause();
  const blob = await fetchBlob(promptAudioPath(prompt));
  const url = URL.createObjectURL(blob);
  const audio = new Audio(url);
  playing = audio;
  audio.onended = () => URL.revokeObjectURL(url);
  await audio.play();
}
