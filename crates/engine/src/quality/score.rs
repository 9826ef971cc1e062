//! A filled scorecard: checking a reviewer's answers and the score they give.

use super::{text, QualityError, Scorecard};

/// The longest comment on an item or a review.
pub const MAX_COMMENT: usize = 2000;

/// A reviewer's answer to one item.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Answer {
    /// `None` while not scored yet (a draft).
    pub points: Option<u8>,
    /// Why; may be empty.
    pub comment: String,
}

/// What a filled scorecard is worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Score {
    /// Hundredths of a percent, 0..=10000 (weighted, rounded half up).
    pub centi: u32,
    /// A critical item scored 0, so `centi` is 0.
    pub failed_critical: bool,
}

/// Checks answers against their scorecard, one per item in its order. A draft may leave
/// items unscored; a `complete` one scores every item and explains every low score whose
/// item asks for a comment. Comments are trimmed.
pub fn check_answers(
    card: &Scorecard,
    answers: Vec<Answer>,
    complete: bool,
) -> Result<Vec<Answer>, QualityError> {
    let count = card.items().count();
    if answers.len() != count {
        return Err(QualityError::new(
            "answers",
            format!("give one answer per item: {count}, not {}", answers.len()),
        ));
    }
    let mut out = Vec::with_capacity(count);
    for (i, (item, answer)) in card.items().zip(answers).enumerate() {
        let comment = text(
            &format!("answers[{i}].comment"),
            &answer.comment,
            MAX_COMMENT,
            true,
        )?;
        match answer.points {
            Some(p) if p > item.scale.max() => {
                return Err(QualityError::new(
                    format!("answers[{i}].points"),
                    format!("'{}' scores 0-{}", item.label, item.scale.max()),
                ))
            }
            None if complete => {
                return Err(QualityError::new(
                    format!("answers[{i}].points"),
                    format!("score '{}' before submitting", item.label),
                ))
            }
            Some(p) if complete && item.comment_on_low && item.is_low(p) && comment.is_empty() => {
                return Err(QualityError::new(
                    format!("answers[{i}].comment"),
                    format!("say why '{}' scored low", item.label),
                ))
            }
            _ => {}
        }
        out.push(Answer {
            points: answer.points,
            comment,
        });
    }
    Ok(out)
}

/// The weighted score of checked answers, `None` while an item is unscored. Each item gives
/// its weight times the share of full marks it got; a critical item at 0 makes it all 0.
pub fn score(card: &Scorecard, answers: &[Answer]) -> Option<Score> {
    // 2520 is divisible by every scale's full marks (1..=10), so the sum stays exact.
    const COMMON: u64 = 2520;
    let mut sum = 0u64;
    let mut failed_critical = false;
    for (item, answer) in card.items().zip(answers) {
        let points = u64::from(answer.points?);
        let max = u64::from(item.scale.max().max(1));
        failed_critical |= item.critical && points == 0;
        sum += u64::from(item.weight) * points * 100 * (COMMON / max);
    }
    if failed_critical {
        return Some(Score {
            centi: 0,
            failed_critical,
        });
    }
    let centi = u32::try_from((sum + COMMON / 2) / COMMON)
        .unwrap_or(u32::MAX)
        .min(10_000);
    Some(Score {
        centi,
        failed_critical,
    })
}
