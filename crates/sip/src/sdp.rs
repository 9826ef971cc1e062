//! SDP (RFC 4566) as far as a voice server needs it, and the offer/answer rules of RFC 3264
//! for one audio stream: G.711 (PCMU, PCMA) and RFC 4733 telephone-events.

use std::fmt::Write as _;
use std::net::{IpAddr, SocketAddr};

/// Bounds on what one description may make us hold.
const MAX_MEDIA: usize = 16;
const MAX_FORMATS: usize = 64;
const MAX_ATTRS: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sdp {
    pub origin: Origin,
    pub connection: Option<IpAddr>,
    pub media: Vec<Media>,
    pub attrs: Vec<Attr>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub username: String,
    pub session_id: u64,
    pub version: u64,
    pub address: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Media {
    pub kind: String,
    pub port: u16,
    pub proto: String,
    pub formats: Vec<String>,
    pub connection: Option<IpAddr>,
    pub attrs: Vec<Attr>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    pub name: String,
    pub value: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("bad SDP: {0}")]
pub struct SdpError(pub &'static str);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    Pcmu,
    Pcma,
}

impl Codec {
    pub fn payload_type(self) -> u8 {
        match self {
            Codec::Pcmu => 0,
            Codec::Pcma => 8,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Codec::Pcmu => "PCMU",
            Codec::Pcma => "PCMA",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    SendRecv,
    SendOnly,
    RecvOnly,
    Inactive,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::SendRecv => "sendrecv",
            Direction::SendOnly => "sendonly",
            Direction::RecvOnly => "recvonly",
            Direction::Inactive => "inactive",
        }
    }

    /// What the answerer says to this offered direction.
    pub fn answer(self) -> Direction {
        match self {
            Direction::SendOnly => Direction::RecvOnly,
            Direction::RecvOnly => Direction::SendOnly,
            d => d,
        }
    }
}

impl Sdp {
    pub fn parse(body: &[u8]) -> Result<Sdp, SdpError> {
        let text = std::str::from_utf8(body).map_err(|_| SdpError("not UTF-8"))?;
        let mut lines = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .filter(|l| !l.is_empty());
        if lines.next() != Some("v=0") {
            return Err(SdpError("does not start with v=0"));
        }
        let mut sdp = Sdp {
            origin: empty_origin(),
            connection: None,
            media: Vec::new(),
            attrs: Vec::new(),
        };
        let mut seen_origin = false;
        for line in lines {
            let (kind, value) = line.split_once('=').ok_or(SdpError("a line without ="))?;
            match (kind, sdp.media.last_mut()) {
                ("o", None) => {
                    sdp.origin = parse_origin(value)?;
                    seen_origin = true;
                }
                ("c", None) => sdp.connection = Some(parse_connection(value)?),
                ("c", Some(m)) => m.connection = Some(parse_connection(value)?),
                ("m", _) => {
                    if sdp.media.len() == MAX_MEDIA {
                        return Err(SdpError("too many media lines"));
                    }
                    sdp.media.push(parse_media(value)?);
                }
                ("a", None) => push_attr(&mut sdp.attrs, value)?,
                ("a", Some(m)) => push_attr(&mut m.attrs, value)?,
                (k, _) if k.len() == 1 => {}
                _ => return Err(SdpError("a line type is not one letter")),
            }
        }
        if !seen_origin {
            return Err(SdpError("no o= line"));
        }
        Ok(sdp)
    }

    /// Direction of a media stream: its own attribute, else the session's, else sendrecv;
    /// a connection address of 0.0.0.0 is the old way of saying hold.
    pub fn direction(&self, m: &Media) -> Direction {
        let find = |attrs: &[Attr]| {
            attrs.iter().find_map(|a| match a.name.as_str() {
                "sendrecv" => Some(Direction::SendRecv),
                "sendonly" => Some(Direction::SendOnly),
                "recvonly" => Some(Direction::RecvOnly),
                "inactive" => Some(Direction::Inactive),
                _ => None,
            })
        };
        let dir = find(&m.attrs)
            .or_else(|| find(&self.attrs))
            .unwrap_or(Direction::SendRecv);
        match m.connection.or(self.connection) {
            Some(ip) if ip.is_unspecified() && dir == Direction::SendRecv => Direction::SendOnly,
            _ => dir,
        }
    }
}

fn empty_origin() -> Origin {
    Origin {
        username: String::new(),
        session_id: 0,
        version: 0,
        address: String::new(),
    }
}

fn parse_origin(value: &str) -> Result<Origin, SdpError> {
    let f: Vec<&str> = value.split(' ').collect();
    let [username, id, version, "IN", _, address] = f[..] else {
        return Err(SdpError("bad o= line"));
    };
    let num = |s: &str| s.parse::<u64>().map_err(|_| SdpError("bad o= number"));
    Ok(Origin {
        username: username.into(),
        session_id: num(id)?,
        version: num(version)?,
        address: address.into(),
    })
}

fn parse_connection(value: &str) -> Result<IpAddr, SdpError> {
    let f: Vec<&str> = value.split(' ').collect();
    let ["IN", _, address] = f[..] else {
        return Err(SdpError("bad c= line"));
    };
    // Multicast addresses carry /ttl; we take only the address.
    let address = address.split('/').next().unwrap_or(address);
    address
        .parse()
        .map_err(|_| SdpError("c= address is not an IP address"))
}

fn parse_media(value: &str) -> Result<Media, SdpError> {
    let mut f = value.split(' ');
    let kind = f
        .next()
        .filter(|k| !k.is_empty())
        .ok_or(SdpError("bad m= line"))?;
    let port = f.next().ok_or(SdpError("bad m= line"))?;
    let port = port
        .split('/')
        .next()
        .unwrap_or(port)
        .parse()
        .map_err(|_| SdpError("bad m= port"))?;
    let proto = f.next().ok_or(SdpError("bad m= line"))?;
    let formats: Vec<String> = f.filter(|s| !s.is_empty()).map(str::to_owned).collect();
    if formats.is_empty() || formats.len() > MAX_FORMATS {
        return Err(SdpError("m= line with no or too many formats"));
    }
    Ok(Media {
        kind: kind.into(),
        port,
        proto: proto.into(),
        formats,
        connection: None,
        attrs: Vec::new(),
    })
}

fn push_attr(attrs: &mut Vec<Attr>, value: &str) -> Result<(), SdpError> {
    if attrs.len() == MAX_ATTRS {
        return Err(SdpError("too many attributes"));
    }
    let (name, value) = match value.split_once(':') {
        Some((n, v)) => (n, Some(v.to_owned())),
        None => (value, None),
    };
    attrs.push(Attr {
        name: name.to_owned(),
        value,
    });
    Ok(())
}

impl Media {
    /// (encoding, clock rate) of a payload type: from `a=rtpmap`, else the static table.
    pub fn rtpmap(&self, pt: &str) -> Option<(String, u32)> {
        let mapped = self
            .attrs
            .iter()
            .filter(|a| a.name == "rtpmap")
            .find_map(|a| {
                let v = a.value.as_deref()?;
                let (p, enc) = v.split_once(' ')?;
                (p == pt).then(|| {
                    let mut parts = enc.trim().split('/');
                    let name = parts.next().unwrap_or("").to_ascii_uppercase();
                    (
                        name,
                        parts.next().and_then(|r| r.parse().ok()).unwrap_or(8000),
                    )
                })
            });
        mapped.or_else(|| match pt {
            "0" => Some(("PCMU".into(), 8000)),
            "8" => Some(("PCMA".into(), 8000)),
            _ => None,
        })
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.name == name)
            .and_then(|a| a.value.as_deref())
    }
}

/// What an answer to an audio offer settled on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AudioAnswer {
    /// Index of the audio m-line in the offer.
    pub index: usize,
    pub remote: SocketAddr,
    pub codec: Codec,
    pub telephone_event: Option<u8>,
    /// The direction the answer states (already turned around).
    pub direction: Direction,
    pub ptime: Option<u32>,
}

/// Picks the first offered codec we speak (the offerer's preference) on the first usable
/// audio stream; `None` means no common codec (488).
pub fn choose_audio(offer: &Sdp, codecs: &[Codec]) -> Option<AudioAnswer> {
    offer.media.iter().enumerate().find_map(|(index, m)| {
        if m.kind != "audio" || m.port == 0 || !m.proto.starts_with("RTP/AVP") {
            return None;
        }
        let codec = m.formats.iter().find_map(|pt| {
            let (name, rate) = m.rtpmap(pt)?;
            codecs
                .iter()
                .copied()
                .find(|c| c.name() == name && rate == 8000 && pt.parse() == Ok(c.payload_type()))
        })?;
        let telephone_event = m.formats.iter().find_map(|pt| {
            let (name, rate) = m.rtpmap(pt)?;
            (name == "TELEPHONE-EVENT" && rate == 8000)
                .then(|| pt.parse().ok())
                .flatten()
        });
        let ip = m.connection.or(offer.connection)?;
        let ptime = m.attr("ptime").and_then(|p| p.trim().parse().ok());
        let direction = offer.direction(m).answer();
        Some(AudioAnswer {
            index,
            remote: SocketAddr::new(ip, m.port),
            codec,
            telephone_event,
            direction,
            ptime,
        })
    })
}

/// Our description of one audio stream: an offer (several codecs) or an answer (one codec,
/// and the offer's other m-lines refused with port 0 so the line count matches).
pub struct AudioDescription<'a> {
    pub session_id: u64,
    pub version: u64,
    pub address: IpAddr,
    pub port: u16,
    pub codecs: &'a [Codec],
    pub telephone_event: Option<u8>,
    pub direction: Direction,
}

impl AudioDescription<'_> {
    pub fn offer(&self) -> Vec<u8> {
        let mut out = self.header();
        self.audio_line(&mut out);
        out.into_bytes()
    }

    pub fn answer(&self, offer: &Sdp, chosen: &AudioAnswer) -> Vec<u8> {
        let mut out = self.header();
        for (i, m) in offer.media.iter().enumerate() {
            if i == chosen.index {
                self.audio_line(&mut out);
            } else {
                let _ = write!(out, "m={} 0 {} {}\r\n", m.kind, m.proto, m.formats[0]);
            }
        }
        out.into_bytes()
    }

    fn header(&self) -> String {
        let family = if self.address.is_ipv4() { "IP4" } else { "IP6" };
        format!(
            "v=0\r\no=switchboard {} {} IN {family} {}\r\ns=switchboard\r\nc=IN {family} {}\r\nt=0 0\r\n",
            self.session_id, self.version, self.address, self.address
        )
    }

    fn audio_line(&self, out: &mut String) {
        let _ = write!(out, "m=audio {} RTP/AVP", self.port);
        for c in self.codecs {
            let _ = write!(out, " {}", c.payload_type());
        }
        if let Some(te) = self.telephone_event {
            let _ = write!(out, " {te}");
        }
        out.push_str("\r\n");
        for c in self.codecs {
            let _ = write!(out, "a=rtpmap:{} {}/8000\r\n", c.payload_type(), c.name());
        }
        if let Some(te) = self.telephone_event {
            let _ = write!(
                out,
                "a=rtpmap:{te} telephone-event/8000\r\na=fmtp:{te} 0-16\r\n"
            );
        }
        let _ = write!(out, "a=ptime:20\r\na={}\r\n", self.direction.as_str());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFER: &str = "v=0\r\no=mhandley 29739 7272939 IN IP4 192.0.2.5\r\ns=-\r\nc=IN IP4 192.0.2.5\r\nt=0 0\r\nm=audio 49217 RTP/AVP 0 12\r\nm=video 3227 RTP/AVP 31\r\na=rtpmap:31 LPC\r\n";

    #[test]
    fn answers_the_audio_and_refuses_the_video() {
        let offer = Sdp::parse(OFFER.as_bytes()).unwrap();
        let chosen = choose_audio(&offer, &[Codec::Pcma, Codec::Pcmu]).unwrap();
        assert_eq!(chosen.codec, Codec::Pcmu);
        assert_eq!(chosen.remote, "192.0.2.5:49217".parse().unwrap());
        let ours = AudioDescription {
            session_id: 1,
            version: 1,
            address: "127.0.0.1".parse().unwrap(),
            port: 20000,
            codecs: &[chosen.codec],
            telephone_event: Some(101),
            direction: chosen.direction,
        };
        let answer = Sdp::parse(&ours.answer(&offer, &chosen)).unwrap();
        assert_eq!(answer.media.len(), 2);
        assert_eq!(answer.media[1].port, 0);
        assert_eq!(
            answer.media[0].rtpmap("101"),
            Some(("TELEPHONE-EVENT".into(), 8000))
        );
    }

    #[test]
    fn finds_dynamic_telephone_events_and_hold() {
        let sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\nm=audio 6000 RTP/AVP 8 96\r\na=rtpmap:96 telephone-event/8000\r\n";
        let offer = Sdp::parse(sdp.as_bytes()).unwrap();
        let chosen = choose_audio(&offer, &[Codec::Pcmu, Codec::Pcma]).unwrap();
        assert_eq!(
            (chosen.codec, chosen.telephone_event),
            (Codec::Pcma, Some(96))
        );
        assert_eq!(chosen.direction, Direction::RecvOnly);
    }

    #[test]
    fn no_common_codec_is_none_and_garbage_is_an_error() {
        let g729 = OFFER.replace("RTP/AVP 0 12", "RTP/AVP 18");
        assert_eq!(
            choose_audio(&Sdp::parse(g729.as_bytes()).unwrap(), &[Codec::Pcmu]),
            None
        );
        for bad in [
            "",
            "v=1\r\n",
            "v=0\r\nm=audio x RTP/AVP 0\r\n",
            "v=0\r\no=bad\r\n",
        ] {
            assert!(Sdp::parse(bad.as_bytes()).is_err(), "{bad:?}");
        }
    }
}
