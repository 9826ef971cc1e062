//! SIP messages as they arrive: a datagram, a stream's framing and a framed stream message,
//! then the checks a UAS makes. A message that parses writes back to bytes that parse to
//! an equal message; a refused request's answer is always written.
#![no_main]

use libfuzzer_sys::fuzz_target;
use switchboard_sip::check::check_request;
use switchboard_sip::parse::{parse, Framing};
use switchboard_sip::{parse_datagram, stream_frame_len, Message, ParseError};

fn round_trip(message: &Message) {
    let bytes = message.to_bytes();
    match parse_datagram(&bytes) {
        Ok(again) => assert_eq!(
            &again,
            message,
            "written as {:?}",
            String::from_utf8_lossy(&bytes)
        ),
        Err(err) => panic!(
            "{err} reading back {:?} from {message:?}",
            String::from_utf8_lossy(&bytes)
        ),
    }
}

fn look_at(parsed: Result<Message, ParseError>) {
    match parsed {
        Ok(message) => {
            if let Message::Request(req) = &message {
                let _ = check_request(req);
            }
            round_trip(&message);
        }
        Err(ParseError::Reject { status, why, reply }) => {
            let _ = reply.response(status, &why);
        }
        Err(ParseError::Drop(_)) => {}
    }
}

fuzz_target!(|data: &[u8]| {
    look_at(parse_datagram(data));
    if let Ok((skip, Some(len))) = stream_frame_len(data) {
        look_at(parse(&data[skip..skip + len], Framing::Stream));
    }
});
