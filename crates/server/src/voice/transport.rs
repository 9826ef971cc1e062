//! SIP transport: one UDP socket and a TCP listener on the SIP address. Messages go to the
//! switch actor as they arrive; what the switch sends goes out on the socket or connection
//! its peer came on. Strangers are bounded: connections in all and per source, a message
//! must arrive whole within a time limit, and a full actor queue drops datagrams rather
//! than letting them pile up.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use switchboard_sip::parse::{stream_frame_len, MAX_MESSAGE};
use switchboard_sip::transaction::{Peer, Transmit, Transport};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio::sync::mpsc;

use super::runtime::Input;

const MAX_CONNECTIONS: usize = 4_096;
const MAX_PER_SOURCE: usize = 64;
/// A message begun on a connection must be complete this soon.
const MESSAGE_DEADLINE: Duration = Duration::from_secs(10);
/// A connection with nothing to say for this long is closed (phones send CRLF keep-alives).
const IDLE: Duration = Duration::from_secs(600);

#[derive(Clone)]
pub struct Outbound {
    udp: Arc<UdpSocket>,
    connections: Arc<Mutex<HashMap<SocketAddr, mpsc::Sender<Vec<u8>>>>>,
}

impl Outbound {
    pub fn send(&self, t: Transmit) {
        crate::metrics::global().sip_message("out", &t.bytes);
        match t.to.transport {
            // A full socket buffer drops the datagram; SIP retransmits.
            Transport::Udp => {
                let _ = self.udp.try_send_to(&t.bytes, t.to.addr);
            }
            Transport::Tcp => {
                let map = self.connections.lock().unwrap_or_else(|p| p.into_inner());
                match map.get(&t.to.addr) {
                    Some(writer) => {
                        let _ = writer.try_send(t.bytes);
                    }
                    None => tracing::debug!(peer = %t.to.addr, "no connection to send on"),
                }
            }
        }
    }
}

/// Binds the SIP address (UDP, and TCP on the same port) and starts reading.
pub async fn start(
    listen: SocketAddr,
    actor: mpsc::Sender<Input>,
) -> anyhow::Result<(SocketAddr, Outbound)> {
    let (udp, tcp) = bind(listen).await?;
    let udp = Arc::new(udp);
    let local = udp.local_addr()?;
    let outbound = Outbound {
        udp: udp.clone(),
        connections: Arc::default(),
    };
    tokio::spawn(read_udp(udp, actor.clone()));
    tokio::spawn(accept_tcp(tcp, actor, outbound.connections.clone()));
    Ok((local, outbound))
}

/// UDP and TCP on one port. With port 0 the UDP socket picks it, and another picking is
/// tried when that port is taken for TCP.
async fn bind(listen: SocketAddr) -> anyhow::Result<(UdpSocket, TcpListener)> {
    let mut tries = 0;
    loop {
        let udp = UdpSocket::bind(listen).await?;
        match TcpListener::bind(udp.local_addr()?).await {
            Ok(tcp) => return Ok((udp, tcp)),
            Err(_) if listen.port() == 0 && tries < 20 => tries += 1,
            Err(e) => return Err(e.into()),
        }
    }
}

async fn read_udp(udp: Arc<UdpSocket>, actor: mpsc::Sender<Input>) {
    let mut buf = vec![0u8; 65_536];
    loop {
        match udp.recv_from(&mut buf).await {
            Ok((n, from)) => {
                let metrics = crate::metrics::global();
                metrics.sip_message("in", &buf[..n]);
                let input = Input::Sip {
                    from: Peer::udp(from),
                    bytes: buf[..n].to_vec(),
                    received: tokio::time::Instant::now(),
                };
                match actor.try_send(input) {
                    Ok(()) => {}
                    Err(mpsc::error::TrySendError::Full(_)) => metrics.sip_dropped(),
                    Err(mpsc::error::TrySendError::Closed(_)) => return,
                }
            }
            // ICMP errors of earlier sends surface here on Linux; they are not ours to stop on.
            Err(e) => tracing::trace!(error = %e, "sip udp receive"),
        }
    }
}

type Connections = Arc<Mutex<HashMap<SocketAddr, mpsc::Sender<Vec<u8>>>>>;

async fn accept_tcp(listener: TcpListener, actor: mpsc::Sender<Input>, connections: Connections) {
    let per_source: Arc<Mutex<HashMap<IpAddr, usize>>> = Arc::default();
    loop {
        let Ok((stream, from)) = listener.accept().await else {
            continue;
        };
        let admitted = {
            let total = connections.lock().unwrap_or_else(|p| p.into_inner()).len();
            let mut sources = per_source.lock().unwrap_or_else(|p| p.into_inner());
            let n = sources.entry(from.ip()).or_insert(0);
            let ok = total < MAX_CONNECTIONS && *n < MAX_PER_SOURCE;
            if ok {
                *n += 1;
            }
            ok
        };
        if !admitted {
            continue;
        }
        let (tx, rx) = mpsc::channel(256);
        connections
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(from, tx);
        let (actor, connections, per_source) =
            (actor.clone(), connections.clone(), per_source.clone());
        tokio::spawn(async move {
            serve_connection(stream, from, actor, rx).await;
            connections
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&from);
            let mut sources = per_source.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(n) = sources.get_mut(&from.ip()) {
                *n -= 1;
                if *n == 0 {
                    sources.remove(&from.ip());
                }
            }
        });
    }
}

async fn serve_connection(
    stream: TcpStream,
    from: SocketAddr,
    actor: mpsc::Sender<Input>,
    mut out: mpsc::Receiver<Vec<u8>>,
) {
    let (mut reader, mut writer) = stream.into_split();
    let writing = tokio::spawn(async move {
        while let Some(bytes) = out.recv().await {
            if writer.write_all(&bytes).await.is_err() {
                return;
            }
        }
    });
    let peer = Peer {
        transport: Transport::Tcp,
        addr: from,
    };
    let mut buf: Vec<u8> = Vec::with_capacity(4_096);
    let mut chunk = vec![0u8; 16_384];
    'read: loop {
        // The first byte of a message may take long; the rest must follow promptly.
        let limit = if buf.is_empty() {
            IDLE
        } else {
            MESSAGE_DEADLINE
        };
        let n = match tokio::time::timeout(limit, reader.read(&mut chunk)).await {
            Ok(Ok(0)) | Ok(Err(_)) | Err(_) => break,
            Ok(Ok(n)) => n,
        };
        buf.extend_from_slice(&chunk[..n]);
        loop {
            match stream_frame_len(&buf) {
                Err(_) => break 'read,
                Ok((skip, None)) => {
                    buf.drain(..skip);
                    if buf.len() > MAX_MESSAGE {
                        break 'read;
                    }
                    break;
                }
                Ok((skip, Some(len))) => {
                    let bytes = buf[skip..skip + len].to_vec();
                    buf.drain(..skip + len);
                    crate::metrics::global().sip_message("in", &bytes);
                    let received = tokio::time::Instant::now();
                    let input = Input::Sip {
                        from: peer,
                        bytes,
                        received,
                    };
                    if actor.send(input).await.is_err() {
                        break 'read;
                    }
                }
            }
        }
    }
    writing.abort();
}
