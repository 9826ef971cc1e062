//! RTCP (RFC 3550 §6): sender and receiver reports, SDES CNAME and BYE. Compound packets are
//! validated as §A.2 asks before anything is read; report blocks are read lazily from the
//! borrowed bytes, and packets are written into a caller's buffer, so nothing allocates.

use std::fmt;

pub const SR: u8 = 200;
pub const RR: u8 = 201;
pub const SDES: u8 = 202;
pub const BYE: u8 = 203;
const REPORT_BLOCK_LEN: usize = 24;
const CNAME: u8 = 1;

/// Why bytes are not a valid RTCP compound packet, or do not fit a buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RtcpError {
    Truncated,
    BadVersion,
    /// The first packet of a compound is not an SR or RR (§A.2).
    NotAReport,
    /// A padding bit on a packet other than the last, or a bad padding count.
    BadPadding,
    /// The length fields do not add up to the datagram, or a packet's body is too short
    /// for its report count.
    BadLength,
    BufferTooSmall,
    /// More than 31 items for a 5-bit count, or a text longer than 255 bytes.
    TooMany,
}

impl fmt::Display for RtcpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl std::error::Error for RtcpError {}

/// The sender information of an SR.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SenderInfo {
    /// 64-bit NTP timestamp: seconds since 1900 in the top half, fraction in the bottom.
    pub ntp: u64,
    pub rtp_timestamp: u32,
    pub packet_count: u32,
    pub octet_count: u32,
}

/// One reception report block (§6.4.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReportBlock {
    pub ssrc: u32,
    /// Fraction lost since the last report, in 1/256.
    pub fraction_lost: u8,
    /// Cumulative packets lost (24-bit signed; duplicates can make it negative).
    pub cumulative_lost: i32,
    pub highest_sequence: u32,
    pub jitter: u32,
    /// The middle 32 bits of the NTP time of the last SR received from this source.
    pub last_sr: u32,
    /// Delay since that SR, in 1/65536 s.
    pub delay_since_last_sr: u32,
}

/// The report blocks of an SR or RR, read on demand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReportBlocks<'a>(&'a [u8]);

impl Iterator for ReportBlocks<'_> {
    type Item = ReportBlock;
    fn next(&mut self) -> Option<ReportBlock> {
        let (b, rest) = self.0.split_at_checked(REPORT_BLOCK_LEN)?;
        self.0 = rest;
        let lost = u32::from_be_bytes([0, b[5], b[6], b[7]]);
        // Sign-extend the 24-bit count.
        let cumulative_lost = ((lost << 8) as i32) >> 8;
        Some(ReportBlock {
            ssrc: be32(b, 0),
            fraction_lost: b[4],
            cumulative_lost,
            highest_sequence: be32(b, 8),
            jitter: be32(b, 12),
            last_sr: be32(b, 16),
            delay_since_last_sr: be32(b, 20),
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SenderReport<'a> {
    pub ssrc: u32,
    pub info: SenderInfo,
    pub blocks: ReportBlocks<'a>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReceiverReport<'a> {
    pub ssrc: u32,
    pub blocks: ReportBlocks<'a>,
}

/// An SDES packet; [`Sdes::cnames`] yields each chunk's source and CNAME.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sdes<'a> {
    count: u8,
    body: &'a [u8],
}

/// A BYE packet: the sources leaving and an optional reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bye<'a> {
    ssrcs: &'a [u8],
    pub reason: Option<&'a [u8]>,
}

impl Bye<'_> {
    pub fn ssrcs(&self) -> impl Iterator<Item = u32> + '_ {
        self.ssrcs.chunks_exact(4).map(|c| be32(c, 0))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RtcpPacket<'a> {
    SenderReport(SenderReport<'a>),
    ReceiverReport(ReceiverReport<'a>),
    Sdes(Sdes<'a>),
    Bye(Bye<'a>),
    /// A packet type we do not read (APP, feedback, XR…).
    Other {
        packet_type: u8,
        body: &'a [u8],
    },
}

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn get32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 4)?;
    Some(be32(s, 0))
}

/// A validated compound packet.
#[derive(Clone, Copy, Debug)]
pub struct Compound<'a>(&'a [u8]);

/// Validates a compound packet (§A.2) and every packet in it.
pub fn parse_compound(b: &[u8]) -> Result<Compound<'_>, RtcpError> {
    let first = b.get(..2).ok_or(RtcpError::Truncated)?;
    if first[1] != SR && first[1] != RR {
        return Err(RtcpError::NotAReport);
    }
    let mut rest = b;
    while !rest.is_empty() {
        let (packet, tail) = split_packet(rest)?;
        if packet[0] & 0x20 != 0 && !tail.is_empty() {
            return Err(RtcpError::BadPadding);
        }
        read_packet(packet)?;
        rest = tail;
    }
    Ok(Compound(b))
}

impl<'a> Compound<'a> {
    /// The packets, in order.
    pub fn packets(&self) -> impl Iterator<Item = RtcpPacket<'a>> {
        let mut rest = self.0;
        std::iter::from_fn(move || {
            let (packet, tail) = split_packet(rest).ok()?;
            rest = tail;
            read_packet(packet).ok()
        })
    }
}

/// Splits off the first packet by its length field.
fn split_packet(b: &[u8]) -> Result<(&[u8], &[u8]), RtcpError> {
    if b.len() < 4 {
        return Err(RtcpError::Truncated);
    }
    if b[0] >> 6 != 2 {
        return Err(RtcpError::BadVersion);
    }
    let words = usize::from(u16::from_be_bytes([b[2], b[3]])) + 1;
    b.split_at_checked(words * 4).ok_or(RtcpError::BadLength)
}

/// Reads one packet whose length has been split off.
fn read_packet(p: &[u8]) -> Result<RtcpPacket<'_>, RtcpError> {
    let count = usize::from(p[0] & 0x1F);
    let mut body = &p[4..];
    if p[0] & 0x20 != 0 {
        let pad = usize::from(*body.last().ok_or(RtcpError::BadPadding)?);
        if pad == 0 || pad > body.len() {
            return Err(RtcpError::BadPadding);
        }
        body = &body[..body.len() - pad];
    }
    let blocks = |from: usize| {
        body.get(from..from + count * REPORT_BLOCK_LEN)
            .map(ReportBlocks)
            .ok_or(RtcpError::BadLength)
    };
    Ok(match p[1] {
        SR => {
            let ssrc = get32(body, 0).ok_or(RtcpError::BadLength)?;
            let info = SenderInfo {
                ntp: (u64::from(get32(body, 4).ok_or(RtcpError::BadLength)?) << 32)
                    | u64::from(get32(body, 8).ok_or(RtcpError::BadLength)?),
                rtp_timestamp: get32(body, 12).ok_or(RtcpError::BadLength)?,
                packet_count: get32(body, 16).ok_or(RtcpError::BadLength)?,
                octet_count: get32(body, 20).ok_or(RtcpError::BadLength)?,
            };
            RtcpPacket::SenderReport(SenderReport {
                ssrc,
                info,
                blocks: blocks(24)?,
            })
        }
        RR => {
            let ssrc = get32(body, 0).ok_or(RtcpError::BadLength)?;
            RtcpPacket::ReceiverReport(ReceiverReport {
                ssrc,
                blocks: blocks(4)?,
            })
        }
        SDES => {
            let sdes = Sdes {
                count: count as u8,
                body,
            };
            // Walk the chunks once so a malformed one fails here, not when read.
            if sdes.chunks().take(count).filter(Result::is_ok).count() != count {
                return Err(RtcpError::BadLength);
            }
            RtcpPacket::Sdes(sdes)
        }
        BYE => {
            let ssrcs = body.get(..count * 4).ok_or(RtcpError::BadLength)?;
            let after = &body[count * 4..];
            let reason = match after.first() {
                Some(&n) if n > 0 => Some(
                    after
                        .get(1..1 + usize::from(n))
                        .ok_or(RtcpError::BadLength)?,
                ),
                _ => None,
            };
            RtcpPacket::Bye(Bye { ssrcs, reason })
        }
        packet_type => RtcpPacket::Other { packet_type, body },
    })
}

impl<'a> Sdes<'a> {
    /// Each chunk's source and its CNAME, if it has one.
    pub fn cnames(&self) -> impl Iterator<Item = (u32, Option<&'a [u8]>)> + 'a {
        self.chunks()
            .take(usize::from(self.count))
            .map_while(Result::ok)
    }

    fn chunks(&self) -> impl Iterator<Item = Result<(u32, Option<&'a [u8]>), RtcpError>> + 'a {
        let mut rest = self.body;
        std::iter::from_fn(move || {
            if rest.is_empty() {
                return None;
            }
            let chunk = read_chunk(rest);
            match chunk {
                Ok((item, tail)) => {
                    rest = tail;
                    Some(Ok(item))
                }
                Err(e) => {
                    rest = &[];
                    Some(Err(e))
                }
            }
        })
    }
}

type Chunk<'a> = ((u32, Option<&'a [u8]>), &'a [u8]);

/// Reads one SDES chunk: a source, items up to a null octet, padding to a word.
fn read_chunk(b: &[u8]) -> Result<Chunk<'_>, RtcpError> {
    let ssrc = get32(b, 0).ok_or(RtcpError::BadLength)?;
    let mut at = 4;
    let mut cname = None;
    loop {
        let kind = *b.get(at).ok_or(RtcpError::BadLength)?;
        if kind == 0 {
            at += 1;
            break;
        }
        let len = usize::from(*b.get(at + 1).ok_or(RtcpError::BadLength)?);
        let text = b.get(at + 2..at + 2 + len).ok_or(RtcpError::BadLength)?;
        if kind == CNAME {
            cname = Some(text);
        }
        at += 2 + len;
    }
    let end = at.next_multiple_of(4).min(b.len());
    Ok(((ssrc, cname), &b[end..]))
}

/// Writes the common header for a packet of `len` bytes (a multiple of 4).
fn write_header(out: &mut [u8], count: usize, packet_type: u8, len: usize) {
    out[0] = 0x80 | count as u8;
    out[1] = packet_type;
    out[2..4].copy_from_slice(&((len / 4 - 1) as u16).to_be_bytes());
}

fn write_blocks(out: &mut [u8], blocks: &[ReportBlock]) {
    for (b, o) in blocks.iter().zip(out.chunks_exact_mut(REPORT_BLOCK_LEN)) {
        o[0..4].copy_from_slice(&b.ssrc.to_be_bytes());
        let lost = b.cumulative_lost.clamp(-0x80_0000, 0x7F_FFFF) as u32;
        o[4] = b.fraction_lost;
        o[5..8].copy_from_slice(&lost.to_be_bytes()[1..]);
        o[8..12].copy_from_slice(&b.highest_sequence.to_be_bytes());
        o[12..16].copy_from_slice(&b.jitter.to_be_bytes());
        o[16..20].copy_from_slice(&b.last_sr.to_be_bytes());
        o[20..24].copy_from_slice(&b.delay_since_last_sr.to_be_bytes());
    }
}

/// Writes a sender report; returns its length.
pub fn write_sr(
    out: &mut [u8],
    ssrc: u32,
    info: &SenderInfo,
    blocks: &[ReportBlock],
) -> Result<usize, RtcpError> {
    if blocks.len() > 31 {
        return Err(RtcpError::TooMany);
    }
    let len = 28 + blocks.len() * REPORT_BLOCK_LEN;
    let out = out.get_mut(..len).ok_or(RtcpError::BufferTooSmall)?;
    write_header(out, blocks.len(), SR, len);
    out[4..8].copy_from_slice(&ssrc.to_be_bytes());
    out[8..16].copy_from_slice(&info.ntp.to_be_bytes());
    out[16..20].copy_from_slice(&info.rtp_timestamp.to_be_bytes());
    out[20..24].copy_from_slice(&info.packet_count.to_be_bytes());
    out[24..28].copy_from_slice(&info.octet_count.to_be_bytes());
    write_blocks(&mut out[28..], blocks);
    Ok(len)
}

/// Writes a receiver report; returns its length.
pub fn write_rr(out: &mut [u8], ssrc: u32, blocks: &[ReportBlock]) -> Result<usize, RtcpError> {
    if blocks.len() > 31 {
        return Err(RtcpError::TooMany);
    }
    let len = 8 + blocks.len() * REPORT_BLOCK_LEN;
    let out = out.get_mut(..len).ok_or(RtcpError::BufferTooSmall)?;
    write_header(out, blocks.len(), RR, len);
    out[4..8].copy_from_slice(&ssrc.to_be_bytes());
    write_blocks(&mut out[8..], blocks);
    Ok(len)
}

/// Writes an SDES packet with one chunk holding a CNAME; returns its length.
pub fn write_sdes_cname(out: &mut [u8], ssrc: u32, cname: &[u8]) -> Result<usize, RtcpError> {
    let n = u8::try_from(cname.len()).map_err(|_| RtcpError::TooMany)?;
    // Header, SSRC, type and length, the text, then at least one null octet to a word.
    let len = (4 + 4 + 2 + cname.len() + 1).next_multiple_of(4);
    let out = out.get_mut(..len).ok_or(RtcpError::BufferTooSmall)?;
    write_header(out, 1, SDES, len);
    out[4..8].copy_from_slice(&ssrc.to_be_bytes());
    out[8] = CNAME;
    out[9] = n;
    out[10..10 + cname.len()].copy_from_slice(cname);
    out[10 + cname.len()..].fill(0);
    Ok(len)
}

/// Writes a BYE for `ssrcs` with an optional reason; returns its length.
pub fn write_bye(out: &mut [u8], ssrcs: &[u32], reason: Option<&[u8]>) -> Result<usize, RtcpError> {
    if ssrcs.len() > 31 || reason.is_some_and(|r| r.len() > 255) {
        return Err(RtcpError::TooMany);
    }
    let text = reason.map_or(0, |r| 1 + r.len());
    let len = (4 + 4 * ssrcs.len() + text).next_multiple_of(4);
    let out = out.get_mut(..len).ok_or(RtcpError::BufferTooSmall)?;
    write_header(out, ssrcs.len(), BYE, len);
    for (s, o) in ssrcs.iter().zip(out[4..].chunks_exact_mut(4)) {
        o.copy_from_slice(&s.to_be_bytes());
    }
    let at = 4 + 4 * ssrcs.len();
    out[at..].fill(0);
    if let Some(r) = reason {
        out[at] = r.len() as u8;
        out[at + 1..at + 1 + r.len()].copy_from_slice(r);
    }
    Ok(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(ssrc: u32) -> ReportBlock {
        ReportBlock {
            ssrc,
            fraction_lost: 64,
            cumulative_lost: -3,
            highest_sequence: 0x1_0005,
            jitter: 17,
            last_sr: 0xAABB_CCDD,
            delay_since_last_sr: 65536,
        }
    }

    #[test]
    fn a_compound_of_every_kind_round_trips() {
        let mut buf = [0u8; 256];
        let info = SenderInfo {
            ntp: 0x0102_0304_0506_0708,
            rtp_timestamp: 9,
            packet_count: 10,
            octet_count: 1600,
        };
        let mut n = write_sr(&mut buf, 42, &info, &[block(7), block(8)]).expect("fits");
        assert_eq!(n, 28 + 48);
        n += write_sdes_cname(&mut buf[n..], 42, b"leg@switchboard").expect("fits");
        n += write_bye(&mut buf[n..], &[42], Some(b"hangup")).expect("fits");
        let compound = parse_compound(&buf[..n]).expect("valid");
        let packets: Vec<_> = compound.packets().collect();
        assert_eq!(packets.len(), 3);
        let RtcpPacket::SenderReport(sr) = packets[0] else {
            panic!("not an SR")
        };
        assert_eq!((sr.ssrc, sr.info), (42, info));
        assert_eq!(sr.blocks.collect::<Vec<_>>(), [block(7), block(8)]);
        let RtcpPacket::Sdes(sdes) = packets[1] else {
            panic!("not SDES")
        };
        assert_eq!(
            sdes.cnames().collect::<Vec<_>>(),
            [(42, Some(&b"leg@switchboard"[..]))]
        );
        let RtcpPacket::Bye(bye) = packets[2] else {
            panic!("not BYE")
        };
        assert_eq!(bye.ssrcs().collect::<Vec<_>>(), [42]);
        assert_eq!(bye.reason, Some(&b"hangup"[..]));
    }

    #[test]
    fn a_known_receiver_report() {
        // RR from SSRC 1 with one block for SSRC 2: 1/4 lost, 5 cumulative.
        let b = [
            0x81, 201, 0, 7, 0, 0, 0, 1, 0, 0, 0, 2, 64, 0, 0, 5, 0, 0, 0x10, 0, 0, 0, 0, 20, 0, 0,
            0, 0, 0, 0, 0, 0,
        ];
        let c = parse_compound(&b).expect("valid");
        let Some(RtcpPacket::ReceiverReport(rr)) = c.packets().next() else {
            panic!("no RR")
        };
        let blk = rr.blocks.clone().next().expect("one block");
        assert_eq!(
            (rr.ssrc, blk.ssrc, blk.fraction_lost, blk.cumulative_lost),
            (1, 2, 64, 5)
        );
        assert_eq!((blk.highest_sequence, blk.jitter), (0x1000, 20));
        let mut out = [0u8; 32];
        assert_eq!(write_rr(&mut out, 1, &[blk]), Ok(32));
        assert_eq!(out, b);
    }

    #[test]
    fn the_a2_checks_refuse_bad_compounds() {
        let mut buf = [0u8; 128];
        let n = write_rr(&mut buf, 1, &[]).expect("fits");
        let m = n + write_sdes_cname(&mut buf[n..], 1, b"x").expect("fits");
        assert!(parse_compound(&buf[..m]).is_ok());
        // Starts with SDES instead of a report.
        assert_eq!(
            parse_compound(&buf[n..m]).err(),
            Some(RtcpError::NotAReport)
        );
        // Lengths that don't add up to the datagram.
        assert_eq!(
            parse_compound(&buf[..m - 4]).err(),
            Some(RtcpError::BadLength)
        );
        assert_eq!(
            parse_compound(&buf[..m + 2]).err(),
            Some(RtcpError::Truncated)
        );
        // Padding on a packet that is not the last.
        let mut pad = buf;
        pad[0] |= 0x20;
        assert_eq!(parse_compound(&pad[..m]).err(), Some(RtcpError::BadPadding));
        let mut v = buf;
        v[n] = 0x41;
        assert_eq!(parse_compound(&v[..m]).err(), Some(RtcpError::BadVersion));
        // A report count the body is too short for.
        let mut rc = buf;
        rc[0] = 0x81;
        assert_eq!(parse_compound(&rc[..m]).err(), Some(RtcpError::BadLength));
    }

    #[test]
    fn never_panics_on_garbage() {
        let mut b = [0x80u8, 200, 0, 1, 0, 0, 0, 0, 202, 0, 0, 0];
        for i in 0..b.len() {
            for v in [0u8, 1, 0x1F, 0x20, 0x81, 0xA1, 0xFF] {
                let old = b[i];
                b[i] = v;
                for len in 0..=b.len() {
                    if let Ok(c) = parse_compound(&b[..len]) {
                        c.packets().for_each(drop);
                    }
                }
                b[i] = old;
            }
        }
    }
}
