//! `http://` and `https://` inputs, by ureq, to checked addresses only.
//!
//! The host is resolved once, here; every address is checked ([`super::address::check`]) and
//! ureq is handed exactly the addresses that passed, through a resolver that never looks the
//! name up again ([`Pinned`]), so a DNS answer that changes between the check and the connect
//! (DNS rebinding) changes nothing. No proxy from the environment is used, and no redirect is
//! followed: a 3xx is [`FetchError::Redirected`]. One attempt, from the lookup to the last byte
//! of the body, takes at most the chain's `attempt_timeout_ms`, and at most one byte past the
//! chain's `max_input_bytes` is read.

use std::{
	io::Read,
	net::{IpAddr, SocketAddr, ToSocketAddrs},
	sync::mpsc,
	time::{Duration, Instant},
};

use ureq::{
	config::Config,
	http::Uri,
	unversioned::{
		resolver::{ResolvedSocketAddrs, Resolver},
		transport::{DefaultConnector, NextTimeout},
	},
};

use super::{address, FetchError, Network};

/// Fetches `uri` (http or https) within `timeout`, reading at most `limit` bytes, from
/// addresses that are public or in `allow`.
pub fn get(
	uri: &str,
	limit: u64,
	timeout: Duration,
	allow: &[Network],
) -> Result<Vec<u8>, FetchError> {
	let started = Instant::now();
	let bad_uri = |reason: &str| FetchError::BadUri { uri: uri.to_string(), reason: reason.into() };
	let parsed: Uri = uri.parse().map_err(|_| bad_uri("not a valid URI"))?;
	let host = parsed.host().filter(|host| !host.is_empty()).ok_or_else(|| bad_uri("no host"))?;
	let https = parsed.scheme_str() == Some("https");
	let port = parsed.port_u16().unwrap_or(if https { 443 } else { 80 });
	let addresses = resolve(uri, host, port, timeout)?;
	let mut refused = None;
	let checked: Vec<SocketAddr> = addresses
		.into_iter()
		.filter(|socket| match address::check(socket.ip(), allow) {
			Ok(()) => true,
			Err(restricted) => {
				refused.get_or_insert((socket.ip(), restricted));
				false
			}
		})
		.collect();
	if checked.is_empty() {
		return Err(match refused {
			Some((address, restricted)) => {
				FetchError::ForbiddenAddress { uri: uri.to_string(), address, restricted }
			}
			None => FetchError::Unreachable { uri: uri.to_string(), reason: "no address".into() },
		});
	}
	let remaining = timeout.saturating_sub(started.elapsed());
	get_pinned(uri, checked, limit, remaining, timeout)
}

/// Fetches `uri` from `addresses` and nowhere else: no lookup, no proxy, no redirect.
/// `remaining` is what is left of the attempt's `timeout`.
fn get_pinned(
	uri: &str,
	addresses: Vec<SocketAddr>,
	limit: u64,
	remaining: Duration,
	timeout: Duration,
) -> Result<Vec<u8>, FetchError> {
	let timed_out = || FetchError::TimedOut { uri: uri.to_string(), timeout };
	let unreachable = |reason: String| FetchError::Unreachable { uri: uri.to_string(), reason };
	if remaining.is_zero() {
		return Err(timed_out());
	}
	let config = Config::builder()
		.proxy(None)
		.max_redirects(0)
		.http_status_as_error(false)
		.timeout_global(Some(remaining))
		.build();
	let agent = ureq::Agent::with_parts(config, DefaultConnector::default(), Pinned(addresses));
	let mut response = agent.get(uri).call().map_err(|error| match error {
		ureq::Error::Timeout(_) => timed_out(),
		ureq::Error::Io(io) if is_timeout(&io) => timed_out(),
		other => unreachable(other.to_string()),
	})?;
	let status = response.status().as_u16();
	if (300..400).contains(&status) {
		let location = response
			.headers()
			.get("location")
			.map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
			.unwrap_or_default();
		return Err(FetchError::Redirected { uri: uri.to_string(), status, location });
	}
	if !(200..300).contains(&status) {
		return Err(unreachable(format!("HTTP status {status}")));
	}
	// A length the server announces is checked before any byte is read (unless the body is
	// compressed: then the limit applies to what it decompresses to, below).
	let announced = response
		.headers()
		.get("content-length")
		.filter(|_| !response.headers().contains_key("content-encoding"))
		.and_then(|value| value.to_str().ok())
		.and_then(|value| value.trim().parse::<u64>().ok());
	if announced.is_some_and(|length| length > limit) {
		return Err(FetchError::TooLarge { uri: uri.to_string(), limit });
	}
	let mut bytes = Vec::with_capacity(announced.unwrap_or(0).min(limit) as usize);
	response.body_mut().as_reader().take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(
		|error| if is_timeout(&error) { timed_out() } else { unreachable(error.to_string()) },
	)?;
	if bytes.len() as u64 > limit {
		return Err(FetchError::TooLarge { uri: uri.to_string(), limit });
	}
	Ok(bytes)
}

/// Whether an I/O error is ureq's timeout (or the socket's).
fn is_timeout(error: &std::io::Error) -> bool {
	error.kind() == std::io::ErrorKind::TimedOut
		|| matches!(
			error.get_ref().and_then(|inner| inner.downcast_ref::<ureq::Error>()),
			Some(ureq::Error::Timeout(_))
		)
}

/// The addresses of `host`: the address itself if it is one, else a DNS lookup bounded by
/// `timeout` (the system resolver cannot be interrupted, so it runs on a thread of its own).
fn resolve(
	uri: &str,
	host: &str,
	port: u16,
	timeout: Duration,
) -> Result<Vec<SocketAddr>, FetchError> {
	let literal = host.strip_prefix('[').and_then(|host| host.strip_suffix(']')).unwrap_or(host);
	if let Ok(address) = literal.parse::<IpAddr>() {
		return Ok(vec![SocketAddr::new(address, port)]);
	}
	let unreachable = |reason: String| FetchError::Unreachable { uri: uri.to_string(), reason };
	let (sender, receiver) = mpsc::sync_channel(1);
	let name = (host.to_string(), port);
	std::thread::Builder::new()
		.name("btt-resolve".into())
		.spawn(move || {
			let _ = sender.send(name.to_socket_addrs().map(|found| found.collect::<Vec<_>>()));
		})
		.map_err(|error| unreachable(format!("cannot start the name lookup: {error}")))?;
	match receiver.recv_timeout(timeout) {
		Ok(Ok(addresses)) if !addresses.is_empty() => Ok(addresses),
		Ok(Ok(_)) => Err(unreachable(format!("{host} has no address"))),
		Ok(Err(error)) => Err(unreachable(format!("cannot resolve {host}: {error}"))),
		Err(_) => Err(FetchError::TimedOut { uri: uri.to_string(), timeout }),
	}
}

/// A resolver that answers every lookup with the addresses checked beforehand.
#[derive(Debug)]
struct Pinned(Vec<SocketAddr>);

impl Resolver for Pinned {
	fn resolve(
		&self,
		_uri: &Uri,
		_config: &Config,
		_timeout: NextTimeout,
	) -> Result<ResolvedSocketAddrs, ureq::Error> {
		let mut addresses = self.empty();
		for address in &self.0 {
			if addresses.try_push(*address).is_err() {
				break;
			}
		}
		if addresses.is_empty() {
			return Err(ureq::Error::HostNotFound);
		}
		Ok(addresses)
	}
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used, clippy::expect_used)]

	use btt_primitives::depin::InputFault;

	use super::{super::test_server, *};
	use crate::fetch::Restricted;

	const SECOND: Duration = Duration::from_secs(1);

	fn loopback() -> Vec<Network> {
		vec!["127.0.0.0/8".parse().unwrap()]
	}

	#[test]
	fn an_allow_listed_local_server_is_fetched() {
		let server = test_server::start();
		let bytes = get(&server.url("/image"), 1024, 5 * SECOND, &loopback()).unwrap();
		assert_eq!(bytes, test_server::IMAGE);
	}

	#[test]
	fn a_loopback_server_is_refused_unless_allow_listed() {
		let server = test_server::start();
		let error = get(&server.url("/image"), 1024, 5 * SECOND, &[]).unwrap_err();
		assert!(
			matches!(error, FetchError::ForbiddenAddress { restricted: Restricted::Loopback, .. }),
			"{error:?}"
		);
		assert_eq!(error.fault(), InputFault::InputUnreachable);
		assert!(error.is_final());
		assert_eq!(server.requests(), 0, "refused before connecting");
	}

	#[test]
	fn a_hostname_that_resolves_to_loopback_is_refused() {
		let server = test_server::start();
		let url = format!("http://localhost:{}/image", server.address.port());
		let error = get(&url, 1024, 5 * SECOND, &[]).unwrap_err();
		assert!(
			matches!(error, FetchError::ForbiddenAddress { restricted: Restricted::Loopback, .. }),
			"{error:?}"
		);
	}

	#[test]
	fn internal_addresses_in_the_uri_are_refused_without_a_connection() {
		for (url, expected) in [
			("http://169.254.169.254/latest/meta-data/iam/", Restricted::CloudMetadata),
			("http://10.0.0.1/x.png", Restricted::Private),
			("http://192.168.1.1:8080/x.png", Restricted::Private),
			("http://0.0.0.0:9944/x.png", Restricted::Unspecified),
			("http://[::ffff:127.0.0.1]:9944/x.png", Restricted::Loopback),
			("https://[::1]/x.png", Restricted::Loopback),
			("http://[fe80::1]/x.png", Restricted::LinkLocal),
			("http://[fd00:ec2::254]/latest/", Restricted::CloudMetadata),
		] {
			let error = get(url, 1024, 5 * SECOND, &[]).unwrap_err();
			assert!(
				matches!(error, FetchError::ForbiddenAddress { restricted, .. } if restricted == expected),
				"{url}: {error:?}"
			);
		}
	}

	#[test]
	fn a_redirect_to_127_0_0_1_is_not_followed() {
		let server = test_server::start();
		let error = get(&server.url("/redirect"), 1024, 5 * SECOND, &loopback()).unwrap_err();
		match &error {
			FetchError::Redirected { status, location, .. } => {
				assert_eq!(*status, 302);
				assert!(location.starts_with("http://127.0.0.1:"), "{location}");
			}
			other => panic!("expected Redirected, got {other:?}"),
		}
		assert_eq!(error.fault(), InputFault::InputUnreachable);
		assert_eq!(server.requests(), 1, "the redirect's target was never requested");
	}

	#[test]
	fn a_slow_drip_is_cut_at_the_attempt_timeout() {
		let server = test_server::start();
		let timeout = Duration::from_millis(600);
		let started = Instant::now();
		let error = get(&server.url("/drip"), 1 << 20, timeout, &loopback()).unwrap_err();
		assert!(matches!(error, FetchError::TimedOut { .. }), "{error:?}");
		assert!(started.elapsed() < timeout + SECOND, "took {:?}", started.elapsed());
		assert_eq!(error.fault(), InputFault::InputUnreachable);
		assert!(!error.is_final(), "a slow server may be faster on the next attempt");
	}

	#[test]
	fn an_oversized_body_is_refused_announced_or_not() {
		let server = test_server::start();
		for path in ["/big", "/big-unannounced"] {
			let error = get(&server.url(path), 1024, 5 * SECOND, &loopback()).unwrap_err();
			assert!(matches!(error, FetchError::TooLarge { limit: 1024, .. }), "{path}: {error:?}");
			assert_eq!(error.fault(), InputFault::InputUnreadable);
			assert!(error.is_final());
		}
		// The same body fits a larger limit, to the byte.
		let bytes = get(&server.url("/big-unannounced"), test_server::BIG, 5 * SECOND, &loopback())
			.unwrap();
		assert_eq!(bytes.len() as u64, test_server::BIG);
	}

	#[test]
	fn an_error_status_is_unreachable_and_retried() {
		let server = test_server::start();
		let error = get(&server.url("/missing"), 1024, 5 * SECOND, &loopback()).unwrap_err();
		assert!(
			matches!(&error, FetchError::Unreachable { reason, .. } if reason.contains("404")),
			"{error:?}"
		);
		assert!(!error.is_final());
	}

	#[test]
	fn the_request_goes_to_the_checked_address_and_the_name_is_not_looked_up_again() {
		// `.invalid` never resolves (RFC 6761): the only way to reach the server is the address
		// the worker checked, which the pinned resolver hands to ureq.
		let server = test_server::start();
		let url = format!("http://btt-rebind.invalid:{}/image", server.address.port());
		let bytes = get_pinned(&url, vec![server.address], 1024, 5 * SECOND, 5 * SECOND).unwrap();
		assert_eq!(bytes, test_server::IMAGE);
		let error = get(&url, 1024, 5 * SECOND, &loopback()).unwrap_err();
		assert!(
			matches!(error, FetchError::Unreachable { .. } | FetchError::TimedOut { .. }),
			"{error:?}"
		);
	}
}
