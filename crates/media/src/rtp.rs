//! RTP packets (RFC 3550 §5.1): strict parsing of received bytes and writing into a caller's
//! buffer. Parsing borrows the payload; nothing allocates.

use std::fmt;

/// The fixed header's length, without CSRCs or extension.
pub const HEADER_LEN: usize = 12;
/// At most 15 contributing sources fit the 4-bit CC field.
pub const MAX_CSRCS: usize = 15;

/// Why bytes are not an RTP packet, or a packet does not fit a buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RtpError {
    /// Shorter than the header, CSRC list or extension it announces.
    Truncated,
    /// The version field is not 2.
    BadVersion,
    /// The padding count is zero or longer than what follows the header.
    BadPadding,
    /// The output buffer is too small.
    BufferTooSmall,
    /// More than 15 CSRCs, or an extension not a whole number of 32-bit words.
    Invalid,
}

impl fmt::Display for RtpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RtpError::Truncated => "RTP packet truncated",
            RtpError::BadVersion => "RTP version is not 2",
            RtpError::BadPadding => "RTP padding length is invalid",
            RtpError::BufferTooSmall => "buffer too small for the RTP packet",
            RtpError::Invalid => "RTP header fields are invalid",
        })
    }
}

impl std::error::Error for RtpError {}

/// A header extension (RFC 3550 §5.3.1): the profile-defined 16 bits and the data words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Extension<'a> {
    pub profile: u16,
    /// A whole number of 32-bit words.
    pub data: &'a [u8],
}

/// The fields of an RTP header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct RtpHeader {
    pub marker: bool,
    pub payload_type: u8,
    pub sequence: u16,
    pub timestamp: u32,
    pub ssrc: u32,
    csrc_count: u8,
    csrcs: [u32; MAX_CSRCS],
}

impl RtpHeader {
    pub fn new(payload_type: u8, sequence: u16, timestamp: u32, ssrc: u32) -> RtpHeader {
        RtpHeader {
            payload_type: payload_type & 0x7F,
            sequence,
            timestamp,
            ssrc,
            ..RtpHeader::default()
        }
    }

    /// The contributing sources.
    pub fn csrcs(&self) -> &[u32] {
        &self.csrcs[..usize::from(self.csrc_count)]
    }

    /// Sets the contributing sources; more than 15 is an error.
    pub fn set_csrcs(&mut self, csrcs: &[u32]) -> Result<(), RtpError> {
        let n = csrcs.len();
        if n > MAX_CSRCS {
            return Err(RtpError::Invalid);
        }
        self.csrcs[..n].copy_from_slice(csrcs);
        self.csrc_count = n as u8;
        Ok(())
    }
}

/// A parsed packet, borrowing its extension and payload from the received bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RtpPacket<'a> {
    pub header: RtpHeader,
    pub extension: Option<Extension<'a>>,
    pub payload: &'a [u8],
    /// Padding octets after the payload (0 for none), the last of which holds the count.
    pub padding: u8,
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 4)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

/// True when the second byte says RTCP rather than RTP (RFC 5761 §4: payload types 64–95,
/// read with the marker bit, are RTCP's 192–223).
pub fn looks_like_rtcp(bytes: &[u8]) -> bool {
    bytes.get(1).is_some_and(|b| (192..=223).contains(b))
}

impl<'a> RtpPacket<'a> {
    /// Parses and validates one RTP packet.
    pub fn parse(b: &'a [u8]) -> Result<RtpPacket<'a>, RtpError> {
        if b.len() < HEADER_LEN {
            return Err(RtpError::Truncated);
        }
        if b[0] >> 6 != 2 {
            return Err(RtpError::BadVersion);
        }
        let has_padding = b[0] & 0x20 != 0;
        let has_extension = b[0] & 0x10 != 0;
        let cc = usize::from(b[0] & 0x0F);
        let mut header = RtpHeader {
            marker: b[1] & 0x80 != 0,
            payload_type: b[1] & 0x7F,
            sequence: be16(b, 2).ok_or(RtpError::Truncated)?,
            timestamp: be32(b, 4).ok_or(RtpError::Truncated)?,
            ssrc: be32(b, 8).ok_or(RtpError::Truncated)?,
            csrc_count: cc as u8,
            csrcs: [0; MAX_CSRCS],
        };
        let mut at = HEADER_LEN;
        for slot in header.csrcs.iter_mut().take(cc) {
            *slot = be32(b, at).ok_or(RtpError::Truncated)?;
            at += 4;
        }
        let extension = if has_extension {
            let profile = be16(b, at).ok_or(RtpError::Truncated)?;
            let words = usize::from(be16(b, at + 2).ok_or(RtpError::Truncated)?);
            let data = b
                .get(at + 4..at + 4 + words * 4)
                .ok_or(RtpError::Truncated)?;
            at += 4 + words * 4;
            Some(Extension { profile, data })
        } else {
            None
        };
        let mut end = b.len();
        let mut padding = 0;
        if has_padding {
            padding = b[end - 1];
            // The count includes itself, so it is at least 1 and fits after the header.
            if padding == 0 || usize::from(padding) > end - at {
                return Err(RtpError::BadPadding);
            }
            end -= usize::from(padding);
        }
        let payload = b.get(at..end).ok_or(RtpError::Truncated)?;
        Ok(RtpPacket {
            header,
            extension,
            payload,
            padding,
        })
    }

    /// The bytes this packet takes when written.
    pub fn len(&self) -> usize {
        HEADER_LEN
            + 4 * self.header.csrcs().len()
            + self.extension.map_or(0, |e| 4 + e.data.len())
            + self.payload.len()
            + usize::from(self.padding)
    }

    /// True for a packet with no payload and no padding.
    pub fn is_empty(&self) -> bool {
        self.payload.is_empty() && self.padding == 0
    }

    /// Writes the packet into the front of `out`; returns its length.
    pub fn write(&self, out: &mut [u8]) -> Result<usize, RtpError> {
        let len = self.len();
        let out = out.get_mut(..len).ok_or(RtpError::BufferTooSmall)?;
        if self
            .extension
            .is_some_and(|e| e.data.len() % 4 != 0 || e.data.len() > 0xFFFF * 4)
        {
            return Err(RtpError::Invalid);
        }
        let h = &self.header;
        out[0] = 0x80
            | if self.padding > 0 { 0x20 } else { 0 }
            | if self.extension.is_some() { 0x10 } else { 0 }
            | h.csrc_count;
        out[1] = (u8::from(h.marker) << 7) | (h.payload_type & 0x7F);
        out[2..4].copy_from_slice(&h.sequence.to_be_bytes());
        out[4..8].copy_from_slice(&h.timestamp.to_be_bytes());
        out[8..12].copy_from_slice(&h.ssrc.to_be_bytes());
        let mut at = HEADER_LEN;
        for c in h.csrcs() {
            out[at..at + 4].copy_from_slice(&c.to_be_bytes());
            at += 4;
        }
        if let Some(e) = self.extension {
            out[at..at + 2].copy_from_slice(&e.profile.to_be_bytes());
            out[at + 2..at + 4].copy_from_slice(&((e.data.len() / 4) as u16).to_be_bytes());
            out[at + 4..at + 4 + e.data.len()].copy_from_slice(e.data);
            at += 4 + e.data.len();
        }
        out[at..at + self.payload.len()].copy_from_slice(self.payload);
        at += self.payload.len();
        if self.padding > 0 {
            let end = at + usize::from(self.padding);
            out[at..end].fill(0);
            out[end - 1] = self.padding;
        }
        Ok(len)
    }
}

/// Writes a plain packet (no CSRCs, extension or padding) into `out`; returns its length.
pub fn write_simple(header: &RtpHeader, payload: &[u8], out: &mut [u8]) -> Result<usize, RtpError> {
    RtpPacket {
        header: *header,
        extension: None,
        payload,
        padding: 0,
    }
    .write(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_known_packet() {
        // V=2, M=1, PT=0, seq 0x1234, ts 0xDEADBEEF, SSRC 0x01020304, two payload bytes.
        let b = [
            0x80, 0x80, 0x12, 0x34, 0xDE, 0xAD, 0xBE, 0xEF, 1, 2, 3, 4, 0xFF, 0x7F,
        ];
        let p = RtpPacket::parse(&b).expect("valid");
        assert!(p.header.marker);
        assert_eq!(p.header.payload_type, 0);
        assert_eq!(p.header.sequence, 0x1234);
        assert_eq!(p.header.timestamp, 0xDEAD_BEEF);
        assert_eq!(p.header.ssrc, 0x0102_0304);
        assert_eq!(p.payload, &[0xFF, 0x7F]);
        assert!(p.extension.is_none() && p.padding == 0);
    }

    #[test]
    fn round_trips_every_field() {
        let mut h = RtpHeader::new(101, 65535, 7, 0xCAFE);
        h.marker = true;
        h.set_csrcs(&[1, 2, 3]).expect("fits");
        let ext = [9u8; 8];
        let p = RtpPacket {
            header: h,
            extension: Some(Extension {
                profile: 0xBEDE,
                data: &ext,
            }),
            payload: &[1, 2, 3, 4, 5],
            padding: 3,
        };
        let mut buf = [0u8; 64];
        let n = p.write(&mut buf).expect("fits");
        assert_eq!(n, 12 + 12 + 4 + 8 + 5 + 3);
        assert_eq!(RtpPacket::parse(&buf[..n]), Ok(p));
        assert_eq!(p.write(&mut buf[..n - 1]), Err(RtpError::BufferTooSmall));
    }

    #[test]
    fn rejects_bad_bytes() {
        let good = [0x80u8, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xAA];
        assert!(RtpPacket::parse(&good).is_ok());
        assert_eq!(RtpPacket::parse(&good[..11]), Err(RtpError::Truncated));
        let mut v1 = good;
        v1[0] = 0x40;
        assert_eq!(RtpPacket::parse(&v1), Err(RtpError::BadVersion));
        // Padding bit with a count of zero, and with a count past the header.
        let mut pad = good;
        pad[0] |= 0x20;
        pad[12] = 0;
        assert_eq!(RtpPacket::parse(&pad), Err(RtpError::BadPadding));
        pad[12] = 2;
        assert_eq!(RtpPacket::parse(&pad), Err(RtpError::BadPadding));
        // Four CSRCs announced, none present; an extension announced, cut short.
        let mut cc = good;
        cc[0] |= 0x04;
        assert_eq!(RtpPacket::parse(&cc), Err(RtpError::Truncated));
        let ext = [
            0x90u8, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xBE, 0xDE, 0, 2, 0, 0, 0, 0,
        ];
        assert_eq!(RtpPacket::parse(&ext), Err(RtpError::Truncated));
        assert!(RtpHeader::default().set_csrcs(&[0; 16]).is_err());
    }

    #[test]
    fn never_panics_on_any_short_input() {
        let mut b = [0u8; 20];
        for first in 0..=255u8 {
            for len in 0..b.len() {
                b[0] = first;
                b[len.saturating_sub(1)] = first;
                let _ = RtpPacket::parse(&b[..len]);
            }
        }
    }

    #[test]
    fn tells_rtcp_from_rtp() {
        assert!(looks_like_rtcp(&[0x80, 200]));
        assert!(!looks_like_rtcp(&[0x80, 0x80]));
        assert!(!looks_like_rtcp(&[0x80, 101]));
        assert!(!looks_like_rtcp(&[]));
    }
}
