//! Quality inspection (P4, 质检): what a scorecard is and when it is well made. Scoring a
//! filled one (`score.rs`), a review's lifecycle (`review.rs`), drawing a sample of contacts
//! (`sample.rs`) and the report's figures (`report.rs`) are pure rules beside it.

mod report;
mod review;
mod sample;
mod score;

#[cfg(test)]
mod tests;

use std::collections::HashSet;

pub use report::{check_range, period_start, tally, Figure, Period, MAX_RANGE_MS};
pub use review::{Resolution, ReviewAction, ReviewStatus};
pub use sample::{draw, Candidate};
pub use score::{check_answers, score, Answer, Score, MAX_COMMENT};

use crate::validation::refused_char;

/// At most this many sections on a scorecard, and items on it in all.
pub const MAX_SECTIONS: usize = 20;
pub const MAX_ITEMS: usize = 100;
/// The most points an item's scale may have.
pub const MAX_POINTS: u8 = 10;
/// The items' weights add up to exactly this.
pub const TOTAL_WEIGHT: u32 = 100;

/// How an item is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// 是/否: met (1) or not (0).
    YesNo,
    /// 0 to this many points (1..=`MAX_POINTS`).
    Points(u8),
}

impl Scale {
    /// The full marks on this scale.
    pub fn max(self) -> u8 {
        match self {
            Scale::YesNo => 1,
            Scale::Points(n) => n,
        }
    }
}

/// One thing a reviewer checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    /// What the reviewer looks for; may be empty.
    pub description: String,
    /// Its share of the score, 1..=100; the items' weights add up to 100.
    pub weight: u32,
    pub scale: Scale,
    /// Failing it (0 points) fails the whole review: its score is 0.
    pub critical: bool,
    /// A low score (at most half the full marks) must say why.
    pub comment_on_low: bool,
}

impl Item {
    /// Whether `points` is a low score on this item (yes/no: "no").
    pub fn is_low(&self, points: u8) -> bool {
        u32::from(points) * 2 <= u32::from(self.scale.max())
    }
}

/// A named group of items (e.g. 服务态度, 业务能力).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub name: String,
    pub items: Vec<Item>,
}

/// A scorecard (质检评分表) as defined by an administrator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scorecard {
    pub name: String,
    pub sections: Vec<Section>,
}

/// Input that breaks a quality rule; `field` is the input's path (`sections[0].items[1].weight`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct QualityError {
    pub field: String,
    pub message: String,
}

impl QualityError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Trimmed text of 1..=`max` characters (0 allowed when `may_be_empty`), no control characters.
pub(crate) fn text(
    field: &str,
    value: &str,
    max: usize,
    may_be_empty: bool,
) -> Result<String, QualityError> {
    let v = value.trim();
    if v.is_empty() && !may_be_empty {
        return Err(QualityError::new(field, "must not be empty"));
    }
    if v.chars().count() > max {
        return Err(QualityError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if refused_char(v).is_some() {
        return Err(QualityError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(v.to_owned())
}

impl Scorecard {
    /// The scorecard made well: texts trimmed, every rule checked, the first broken one
    /// reported with the path of its field.
    pub fn checked(self) -> Result<Scorecard, QualityError> {
        let name = text("name", &self.name, 60, false)?;
        if self.sections.is_empty() {
            return Err(QualityError::new(
                "sections",
                "add at least one section with one item",
            ));
        }
        if self.sections.len() > MAX_SECTIONS {
            return Err(QualityError::new(
                "sections",
                format!("at most {MAX_SECTIONS} sections"),
            ));
        }
        let mut names = HashSet::new();
        let mut sections = Vec::with_capacity(self.sections.len());
        for (s, section) in self.sections.into_iter().enumerate() {
            let section = checked_section(s, section)?;
            if !names.insert(section.name.clone()) {
                return Err(QualityError::new(
                    format!("sections[{s}].name"),
                    format!("'{}' names two sections", section.name),
                ));
            }
            sections.push(section);
        }
        let card = Scorecard { name, sections };
        let count = card.items().count();
        if count > MAX_ITEMS {
            return Err(QualityError::new(
                "sections",
                format!("at most {MAX_ITEMS} items in all"),
            ));
        }
        let total: u32 = card.items().map(|i| i.weight).sum();
        if total != TOTAL_WEIGHT {
            return Err(QualityError::new(
                "sections",
                format!("the items' weights add up to {total}; they must add up to {TOTAL_WEIGHT}"),
            ));
        }
        Ok(card)
    }

    /// Every item, section after section: the order answers are given in.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.sections.iter().flat_map(|s| s.items.iter())
    }

    /// Each item with the name of its section, in the answers' order.
    pub fn items_with_sections(&self) -> impl Iterator<Item = (&str, &Item)> {
        self.sections
            .iter()
            .flat_map(|s| s.items.iter().map(move |i| (s.name.as_str(), i)))
    }
}

fn checked_section(s: usize, section: Section) -> Result<Section, QualityError> {
    let name = text(&format!("sections[{s}].name"), &section.name, 60, false)?;
    if section.items.is_empty() {
        return Err(QualityError::new(
            format!("sections[{s}].items"),
            "add at least one item",
        ));
    }
    let mut labels = HashSet::new();
    let mut items = Vec::with_capacity(section.items.len());
    for (i, item) in section.items.into_iter().enumerate() {
        let at = |f: &str| format!("sections[{s}].items[{i}].{f}");
        let label = text(&at("label"), &item.label, 100, false)?;
        if !labels.insert(label.clone()) {
            return Err(QualityError::new(
                at("label"),
                format!("'{label}' is in this section twice"),
            ));
        }
        let description = text(&at("description"), &item.description, 500, true)?;
        if !(1..=TOTAL_WEIGHT).contains(&item.weight) {
            return Err(QualityError::new(
                at("weight"),
                format!("must be 1-{TOTAL_WEIGHT}"),
            ));
        }
        if let Scale::Points(n) = item.scale {
            if !(1..=MAX_POINTS).contains(&n) {
                return Err(QualityError::new(
                    at("points"),
                    format!("must be 1-{MAX_POINTS}"),
                ));
            }
        }
        items.push(Item {
            label,
            description,
            ..item
        });
    }
    Ok(Section { name, items })
}
