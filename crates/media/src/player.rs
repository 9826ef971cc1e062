//! Plays 8 kHz audio to a leg frame by frame: a queue of prompts played back to back
//! (gapless, so "you are number" + "three" sounds as one sentence), a loop for music on
//! hold, stop and barge-in, and an event as each prompt and the queue finish.
//!
//! Prompts are shared `Arc<[i16]>` samples, decoded once by whoever loads them; cloning one
//! copies a pointer. The queues are preallocated and bounded, so playing allocates nothing.

use std::collections::VecDeque;
use std::sync::Arc;

use crate::{Frame, FRAME_SAMPLES};

/// Prompts that can wait in the queue.
pub const QUEUE_CAPACITY: usize = 16;
const EVENT_CAPACITY: usize = 2 * QUEUE_CAPACITY + 4;

/// One piece of audio to play.
#[derive(Clone, Debug)]
pub struct Prompt {
    /// The caller's name for it, echoed in events.
    pub id: u32,
    pub audio: Arc<[i16]>,
    /// Whether a DTMF digit (barge-in) stops it.
    pub interruptible: bool,
}

impl Prompt {
    pub fn new(id: u32, audio: Arc<[i16]>) -> Prompt {
        Prompt {
            id,
            audio,
            interruptible: true,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlayerEvent {
    /// A prompt played to its end.
    PromptFinished { id: u32 },
    /// A prompt was cut short by stop or barge-in.
    PromptStopped { id: u32 },
    /// The last queued prompt finished; the player is idle.
    QueueFinished,
}

/// The queue is full.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueueFull;

#[derive(Clone, Debug)]
struct Playing {
    prompt: Prompt,
    pos: usize,
    looping: bool,
}

/// A player for one leg.
#[derive(Clone, Debug)]
pub struct Player {
    current: Option<Playing>,
    queue: VecDeque<Prompt>,
    events: VecDeque<PlayerEvent>,
}

impl Default for Player {
    fn default() -> Player {
        Player::new()
    }
}

impl Player {
    pub fn new() -> Player {
        Player {
            current: None,
            queue: VecDeque::with_capacity(QUEUE_CAPACITY),
            events: VecDeque::with_capacity(EVENT_CAPACITY),
        }
    }

    /// Adds a prompt to play after the ones queued.
    pub fn enqueue(&mut self, prompt: Prompt) -> Result<(), QueueFull> {
        if self.current.is_none() {
            self.current = Some(Playing {
                prompt,
                pos: 0,
                looping: false,
            });
            return Ok(());
        }
        if self.queue.len() >= QUEUE_CAPACITY {
            return Err(QueueFull);
        }
        self.queue.push_back(prompt);
        Ok(())
    }

    /// Stops whatever plays and loops `prompt` until stopped (music on hold).
    pub fn play_loop(&mut self, prompt: Prompt) {
        self.stop();
        self.current = Some(Playing {
            prompt,
            pos: 0,
            looping: true,
        });
    }

    /// Stops the current prompt and drops the queue.
    pub fn stop(&mut self) {
        if let Some(p) = self.current.take() {
            self.event(PlayerEvent::PromptStopped { id: p.prompt.id });
            self.queue.clear();
            self.event(PlayerEvent::QueueFinished);
        }
    }

    /// Stops if what plays now may be interrupted by a digit; true if it stopped.
    pub fn barge_in(&mut self) -> bool {
        let interruptible = self
            .current
            .as_ref()
            .is_some_and(|p| p.prompt.interruptible);
        if interruptible {
            self.stop();
        }
        interruptible
    }

    pub fn is_playing(&self) -> bool {
        self.current.is_some()
    }

    /// The next event, oldest first.
    pub fn poll_event(&mut self) -> Option<PlayerEvent> {
        self.events.pop_front()
    }

    fn event(&mut self, e: PlayerEvent) {
        // Bounded: a caller that never drains loses the oldest news, not memory.
        if self.events.len() >= EVENT_CAPACITY {
            self.events.pop_front();
        }
        self.events.push_back(e);
    }

    /// Fills `out` with the next 20 ms; false (and silence) when nothing plays.
    pub fn next_frame(&mut self, out: &mut Frame) -> bool {
        let playing = self.current.is_some();
        let mut filled = 0;
        while filled < FRAME_SAMPLES {
            let Some(p) = self.current.as_mut() else {
                break;
            };
            let audio = &p.prompt.audio;
            let n = (audio.len() - p.pos.min(audio.len())).min(FRAME_SAMPLES - filled);
            out[filled..filled + n].copy_from_slice(&audio[p.pos..p.pos + n]);
            filled += n;
            p.pos += n;
            if p.pos >= audio.len() {
                if p.looping && !audio.is_empty() {
                    p.pos = 0;
                } else {
                    self.finish_current();
                }
            }
        }
        out[filled..].fill(0);
        playing
    }

    fn finish_current(&mut self) {
        if let Some(p) = self.current.take() {
            self.event(PlayerEvent::PromptFinished { id: p.prompt.id });
        }
        match self.queue.pop_front() {
            Some(prompt) => {
                self.current = Some(Playing {
                    prompt,
                    pos: 0,
                    looping: false,
                })
            }
            None => self.event(PlayerEvent::QueueFinished),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SILENCE;

    fn prompt(id: u32, len: usize, value: i16) -> Prompt {
        Prompt::new(id, vec![value; len].into())
    }

    fn events(p: &mut Player) -> Vec<PlayerEvent> {
        std::iter::from_fn(|| p.poll_event()).collect()
    }

    #[test]
    fn a_queue_plays_back_to_back_and_reports_each_end() {
        let mut p = Player::new();
        p.enqueue(prompt(1, 200, 1)).expect("room");
        p.enqueue(prompt(2, 100, 2)).expect("room");
        let mut f = SILENCE;
        assert!(p.next_frame(&mut f));
        assert!(f.iter().all(|s| *s == 1));
        assert!(events(&mut p).is_empty());
        assert!(p.next_frame(&mut f));
        // 40 samples of the first, then the second without a gap.
        assert!(f[..40].iter().all(|s| *s == 1) && f[40..140].iter().all(|s| *s == 2));
        assert!(f[140..].iter().all(|s| *s == 0));
        use PlayerEvent::*;
        assert_eq!(
            events(&mut p),
            [
                PromptFinished { id: 1 },
                PromptFinished { id: 2 },
                QueueFinished
            ]
        );
        assert!(!p.is_playing() && !p.next_frame(&mut f));
        assert_eq!(f, SILENCE);
    }

    #[test]
    fn music_on_hold_loops_until_stopped() {
        let mut p = Player::new();
        p.play_loop(prompt(9, 70, 5));
        let mut f = SILENCE;
        for _ in 0..100 {
            assert!(p.next_frame(&mut f));
            assert!(f.iter().all(|s| *s == 5));
        }
        assert!(events(&mut p).is_empty());
        p.stop();
        assert_eq!(
            events(&mut p),
            [
                PlayerEvent::PromptStopped { id: 9 },
                PlayerEvent::QueueFinished
            ]
        );
        // An empty loop doesn't spin.
        p.play_loop(prompt(3, 0, 0));
        assert!(p.next_frame(&mut f));
        assert!(!p.is_playing());
    }

    #[test]
    fn barge_in_stops_only_interruptible_prompts() {
        let mut p = Player::new();
        let mut legal = prompt(1, 8000, 1);
        legal.interruptible = false;
        p.enqueue(legal).expect("room");
        assert!(!p.barge_in());
        assert!(p.is_playing());
        p.stop();
        events(&mut p);
        p.enqueue(prompt(2, 8000, 1)).expect("room");
        p.enqueue(prompt(3, 8000, 1)).expect("room");
        assert!(p.barge_in());
        assert!(!p.is_playing());
        assert_eq!(
            events(&mut p),
            [
                PlayerEvent::PromptStopped { id: 2 },
                PlayerEvent::QueueFinished
            ]
        );
    }

    #[test]
    fn the_queue_is_bounded() {
        let mut p = Player::new();
        for i in 0..=QUEUE_CAPACITY as u32 {
            p.enqueue(prompt(i, 1, 0)).expect("room");
        }
        assert_eq!(p.enqueue(prompt(99, 1, 0)), Err(QueueFull));
    }
}
