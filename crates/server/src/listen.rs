//! Accepting HTTP connections with bounds a stranger cannot push past: how many connections
//! the server holds at once and per source address, how long a client may take to send a
//! request's headers (and, in `api::app`, its body). HTTP/1.1 only: browsers speak it to a
//! server without TLS, and it is the smaller surface.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tower::Service;

/// What one server holds at most.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Open connections in all (each holds a file descriptor and buffers).
    pub connections: usize,
    /// Open connections from one address (proxies named trusted are exempt).
    pub per_source: usize,
    /// Time to send a request's headers, from the first byte or from idle keep-alive.
    pub header_timeout: Duration,
    /// Time a request body may go without a byte arriving.
    pub body_timeout: Duration,
    /// Proxies whose connections carry many clients.
    pub trusted_proxies: Vec<IpAddr>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            connections: 4096,
            per_source: 256,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            trusted_proxies: Vec::new(),
        }
    }
}

/// Open connections, in all and per address.
#[derive(Default)]
struct Open {
    total: usize,
    by_source: HashMap<IpAddr, usize>,
}

/// A connection's place; given back when the connection ends.
struct Place {
    open: Arc<Mutex<Open>>,
    source: IpAddr,
}

impl Drop for Place {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        open.total -= 1;
        if let Some(n) = open.by_source.get_mut(&self.source) {
            *n -= 1;
            if *n == 0 {
                open.by_source.remove(&self.source);
            }
        }
    }
}

fn take_place(open: &Arc<Mutex<Open>>, source: IpAddr, limits: &Limits) -> Option<Place> {
    let mut guard = open.lock().unwrap_or_else(|p| p.into_inner());
    let from_source = guard.by_source.get(&source).copied().unwrap_or(0);
    let exempt = limits.trusted_proxies.contains(&source);
    if guard.total >= limits.connections || (!exempt && from_source >= limits.per_source) {
        return None;
    }
    guard.total += 1;
    *guard.by_source.entry(source).or_default() += 1;
    Some(Place {
        open: open.clone(),
        source,
    })
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets open requests finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let app = app.layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
        limits.body_timeout,
    ));
    let mut make_service = app.into_make_service_with_connect_info::<SocketAddr>();
    let mut builder = Builder::new(TokioExecutor::new()).http1_only();
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let open = Arc::new(Mutex::new(Open::default()));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (socket, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors and the like: wait a moment instead of spinning.
                    tracing::warn!(error = %err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(place) = take_place(&open, peer.ip(), &limits) else {
            tracing::debug!(%peer, "connection refused: limit reached");
            drop(socket);
            continue;
        };
        let service = match make_service.call(peer).await {
            Ok(service) => service,
            Err(never) => match never {},
        };
        let hyper_service = hyper_util::service::TowerToHyperService::new(service);
        let connection =
            builder.serve_connection_with_upgrades(TokioIo::new(socket), hyper_service);
        let connection = graceful.watch(connection.into_owned());
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(error = %err, "connection ended with an error");
            }
            drop(place);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(Duration::from_secs(10)) => {
            tracing::warn!("connections still open 10 s after shutdown; leaving them");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_bounded_in_all_and_per_source_and_given_back() {
        let limits = Limits {
            connections: 3,
            per_source: 2,
            trusted_proxies: vec![[10, 0, 0, 1].into()],
            ..Limits::default()
        };
        let open = Arc::new(Mutex::new(Open::default()));
        let a: IpAddr = [203, 0, 113, 1].into();
        let b: IpAddr = [203, 0, 113, 2].into();
        let first = take_place(&open, a, &limits).expect("first");
        let _second = take_place(&open, a, &limits).expect("second");
        assert!(take_place(&open, a, &limits).is_none(), "per source");
        let _third = take_place(&open, b, &limits).expect("another source");
        assert!(take_place(&open, b, &limits).is_none(), "in all");
        drop(first);
        assert!(take_place(&open, b, &limits).is_some(), "given back");
        assert_eq!(open.lock().expect("lock").by_source.len(), 2);
    }

    #[test]
    fn a_trusted_proxy_is_not_limited_per_source() {
        let proxy: IpAddr = [10, 0, 0, 1].into();
        let limits = Limits {
            per_source: 1,
            trusted_proxies: vec![proxy],
            ..Limits::default()
        };
        let open = Arc::new(Mutex::new(Open::default()));
        let places: Vec<_> = (0..5)
            .filter_map(|_| take_place(&open, proxy, &limits))
            .collect();
        assert_eq!(places.len(), 5);
    }
}
