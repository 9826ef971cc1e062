//! The customer chat socket's inbound frames: JSON text, read into its typed frame
//! (`deny_unknown_fields`), refused text found, and each frame's own rules applied, as
//! `chat::customer::Session::handle` does before it acts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use switchboard_engine::validation::refused_char;
use switchboard_server::chat::customer::{read_frame, Frame};

fuzz_target!(|data: &[u8]| {
    // The socket closes a frame that is not UTF-8 (1007) before it is read.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(msg) = serde_json::from_str::<Value>(text) else {
        return;
    };
    match read_frame(&msg) {
        Ok(Frame::Start(details, question)) => {
            for text in [details.name, details.phone, details.email, question]
                .into_iter()
                .flatten()
            {
                assert!(
                    refused_char(&text).is_none(),
                    "refused text passed: {text:?}"
                );
                assert_eq!(text.trim(), text, "a checked text is trimmed");
            }
        }
        Ok(Frame::Message(frame)) => {
            if let Ok((client_id, text)) = frame.checked() {
                assert!((1..=64).contains(&client_id.len()));
                assert!(
                    refused_char(&text).is_none(),
                    "refused text passed: {text:?}"
                );
            }
        }
        Ok(Frame::Rate(rating)) => {
            if let Ok((score, _)) = rating.checked() {
                assert!((1..=5).contains(&score));
            }
        }
        Ok(Frame::Typing | Frame::Read(_) | Frame::Leave | Frame::Position) => {}
        Err(_) => {}
    }
});
