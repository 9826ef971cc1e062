//! How many RTP legs the process can hold open at once. Each leg is two sockets (RTP and
//! RTCP); a port range larger than the open-file limit allows would let the switch accept
//! calls whose sockets then fail to open ("too many open files") under load. The range is
//! cut to what fits, so a call beyond it is turned away at once with 503 instead.

/// Files kept for everything but RTP (the database, HTTP and WebSocket clients, SIP over
/// TCP, recordings): a quarter of the limit, and never fewer than this.
const RESERVED_AT_LEAST: u64 = 1_024;

/// Raises the open-file limit to the hard limit (as servers do) and returns the RTP port
/// range cut to what that limit allows; `range` itself when the limit cannot be read.
pub fn rtp_ports_within_limit(range: (u16, u16)) -> (u16, u16) {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(open_files) => {
            let cut = ports_within(range, open_files);
            if cut != range {
                tracing::warn!(
                    open_files,
                    from = range.0,
                    to = cut.1,
                    "the RTP port range holds more legs than open files allow; it is cut"
                );
            }
            cut
        }
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the open-file limit; RTP ports are not cut to it");
            range
        }
    }
}

/// `range` (low to high, ports in even pairs) cut so its legs' sockets fit in `open_files`.
fn ports_within(range: (u16, u16), open_files: u64) -> (u16, u16) {
    let reserved = (open_files / 4).max(RESERVED_AT_LEAST);
    let legs = open_files.saturating_sub(reserved) / 2;
    let span = u64::from(range.1.saturating_sub(range.0));
    if span / 2 <= legs {
        return range;
    }
    let high = u64::from(range.0) + (legs * 2).max(2);
    (range.0, u16::try_from(high).unwrap_or(range.1).min(range.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_beyond_the_open_file_limit_is_cut_to_it() {
        // 20,000 files: 5,000 kept, 7,500 legs of two sockets.
        assert_eq!(ports_within((10_000, 30_000), 20_000), (10_000, 25_000));
        assert_eq!(ports_within((10_000, 12_000), 20_000), (10_000, 12_000));
        // A tiny limit keeps the reserve and at least one leg.
        assert_eq!(ports_within((10_000, 30_000), 1_024), (10_000, 10_002));
        assert_eq!(ports_within((10_000, 30_000), u64::MAX), (10_000, 30_000));
    }
}
