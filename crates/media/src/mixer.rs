//! Mixing frames: a bridge of two legs (each hears the other) and an N-party mix-minus
//! (each hears the sum of the others, saturating), for conferences and three-way calls.
//! Everything works in caller-provided frames; nothing allocates.

use crate::{Frame, FRAME_SAMPLES};

/// A two-party bridge: what each side hears is what the other said.
pub fn bridge(a_said: &Frame, b_said: &Frame, a_hears: &mut Frame, b_hears: &mut Frame) {
    *a_hears = *b_said;
    *b_hears = *a_said;
}

/// Adds `src` into `acc`, saturating at the i16 range.
pub fn add_saturating(acc: &mut Frame, src: &Frame) {
    for (a, s) in acc.iter_mut().zip(src) {
        *a = a.saturating_add(*s);
    }
}

/// Mix-minus: `hears[i]` becomes the sum of every `said[j]` with `j != i`, saturated.
///
/// The full sum is taken once in 32 bits and each party's own voice subtracted, so the
/// cost is linear in the number of parties. `said` and `hears` must be the same length;
/// extra entries of the longer one are left alone.
pub fn mix_minus(said: &[Frame], hears: &mut [Frame]) {
    let mut total = [0i32; FRAME_SAMPLES];
    for frame in said {
        for (t, s) in total.iter_mut().zip(frame) {
            *t += i32::from(*s);
        }
    }
    for (own, out) in said.iter().zip(hears.iter_mut()) {
        for ((o, t), s) in out.iter_mut().zip(&total).zip(own) {
            *o = (t - i32::from(*s)).clamp(i32::from(i16::MIN), i32::from(i16::MAX)) as i16;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SILENCE;

    fn flat(v: i16) -> Frame {
        [v; FRAME_SAMPLES]
    }

    #[test]
    fn a_bridge_crosses_the_two_voices() {
        let (mut a, mut b) = (SILENCE, SILENCE);
        bridge(&flat(1), &flat(2), &mut a, &mut b);
        assert_eq!((a, b), (flat(2), flat(1)));
    }

    #[test]
    fn each_party_hears_the_others_but_not_itself() {
        let said = [flat(100), flat(-30), flat(7)];
        let mut hears = [SILENCE; 3];
        mix_minus(&said, &mut hears);
        assert_eq!(hears, [flat(-23), flat(107), flat(70)]);
    }

    #[test]
    fn sums_saturate_instead_of_wrapping() {
        let said = [flat(30_000), flat(30_000), flat(-30_000), flat(-30_000)];
        let mut hears = [SILENCE; 4];
        mix_minus(&said, &mut hears);
        assert_eq!(hears[0], flat(-30_000));
        let said = [flat(30_000), flat(30_000), flat(30_000)];
        let mut hears = [SILENCE; 3];
        mix_minus(&said, &mut hears);
        assert_eq!(hears[0], flat(i16::MAX));
        let mut acc = flat(i16::MIN + 5);
        add_saturating(&mut acc, &flat(-100));
        assert_eq!(acc, flat(i16::MIN));
    }
}
