//! Which IP addresses a task's input may be fetched from.
//!
//! A task's URI is chosen by whoever posts the task, so without a check it could make the
//! worker send requests into the operator's own network: the loopback interface, the LAN, a
//! cloud provider's metadata service (instance credentials at `169.254.169.254`). Only public
//! unicast addresses are reachable, unless the operator allow-lists a network
//! (`allow_networks`, [`Network`]) — a clinic's image store on the LAN, or a test server on
//! `127.0.0.1`.
//!
//! Addresses that embed an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`,
//! 6to4 `2002::/16`) are judged by the IPv4 address they lead to.

use std::{
	fmt,
	net::{IpAddr, Ipv4Addr, Ipv6Addr},
	str::FromStr,
};

/// Why an address is not fetched from (unless allow-listed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Restricted {
	/// `0.0.0.0/8`, `::`: "this host", which connects to the local machine.
	Unspecified,
	/// `127.0.0.0/8`, `::1`.
	Loopback,
	/// RFC 1918: `10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16`.
	Private,
	/// RFC 6598 carrier-grade NAT: `100.64.0.0/10`.
	SharedAddressSpace,
	/// `169.254.0.0/16`, `fe80::/10`.
	LinkLocal,
	/// A cloud provider's instance metadata service: `169.254.169.254`, `fd00:ec2::254`.
	CloudMetadata,
	/// `224.0.0.0/4`, `ff00::/8`.
	Multicast,
	/// `255.255.255.255`.
	Broadcast,
	/// RFC 5737 / RFC 3849 / RFC 9637: `192.0.2.0/24`, `198.51.100.0/24`, `203.0.113.0/24`,
	/// `2001:db8::/32`, `3fff::/20`.
	Documentation,
	/// RFC 2544 / RFC 5180: `198.18.0.0/15`, `2001:2::/48`.
	Benchmarking,
	/// IPv6 unique local addresses, `fc00::/7` (and the deprecated site-local `fec0::/10`).
	UniqueLocal,
	/// Anything else that is not public unicast: `192.0.0.0/24`, `240.0.0.0/4`, IPv6 outside
	/// `2000::/3`, the IETF protocol block `2001::/23`.
	Reserved,
}

impl fmt::Display for Restricted {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(match self {
			Self::Unspecified => "an unspecified address",
			Self::Loopback => "a loopback address",
			Self::Private => "a private address",
			Self::SharedAddressSpace => "a carrier-grade NAT address",
			Self::LinkLocal => "a link-local address",
			Self::CloudMetadata => "a cloud metadata address",
			Self::Multicast => "a multicast address",
			Self::Broadcast => "the broadcast address",
			Self::Documentation => "a documentation address",
			Self::Benchmarking => "a benchmarking address",
			Self::UniqueLocal => "an IPv6 unique local address",
			Self::Reserved => "a reserved address",
		})
	}
}

/// An IP network in CIDR notation (`127.0.0.0/8`, `fd00::/8`; a bare address is one host).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Network {
	/// The network's first address (host bits cleared).
	base: IpAddr,
	/// The prefix length.
	prefix: u8,
}

/// A network that does not parse.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("`{0}` is not a CIDR network (such as 127.0.0.0/8 or fd00::/8)")]
pub struct NetworkError(pub String);

impl FromStr for Network {
	type Err = NetworkError;

	fn from_str(text: &str) -> Result<Self, Self::Err> {
		let error = || NetworkError(text.to_string());
		let (address, prefix) = match text.split_once('/') {
			Some((address, prefix)) => (address, Some(prefix)),
			None => (text, None),
		};
		let address: IpAddr = address.trim().parse().map_err(|_| error())?;
		let bits = if address.is_ipv4() { 32 } else { 128 };
		let prefix = match prefix {
			Some(prefix) => prefix.trim().parse::<u8>().map_err(|_| error())?,
			None => bits,
		};
		if prefix > bits {
			return Err(error());
		}
		Ok(Self { base: masked(address, prefix), prefix })
	}
}

impl fmt::Display for Network {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "{}/{}", self.base, self.prefix)
	}
}

impl Network {
	/// Whether `address` is in the network. An IPv4-mapped IPv6 address is in the IPv4
	/// networks its IPv4 address is in.
	pub fn contains(&self, address: IpAddr) -> bool {
		let address = canonical(address);
		address.is_ipv4() == self.base.is_ipv4() && masked(address, self.prefix) == self.base
	}
}

/// `address` with every bit after the first `prefix` cleared.
fn masked(address: IpAddr, prefix: u8) -> IpAddr {
	match address {
		IpAddr::V4(v4) => {
			let mask = u32::MAX.checked_shl(32 - u32::from(prefix.min(32))).unwrap_or(0);
			IpAddr::V4(Ipv4Addr::from(u32::from(v4) & mask))
		}
		IpAddr::V6(v6) => {
			let mask = u128::MAX.checked_shl(128 - u32::from(prefix.min(128))).unwrap_or(0);
			IpAddr::V6(Ipv6Addr::from(u128::from(v6) & mask))
		}
	}
}

/// An IPv4-mapped IPv6 address as the IPv4 address it is; any other address unchanged.
fn canonical(address: IpAddr) -> IpAddr {
	match address {
		IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
		v4 => v4,
	}
}

/// Whether the worker may connect to `address`: allow-listed, or public unicast.
pub fn check(address: IpAddr, allow: &[Network]) -> Result<(), Restricted> {
	if allow.iter().any(|network| network.contains(address)) {
		return Ok(());
	}
	match classify(address) {
		Some(restricted) => Err(restricted),
		None => Ok(()),
	}
}

/// The restricted range `address` is in, if any.
pub fn classify(address: IpAddr) -> Option<Restricted> {
	match canonical(address) {
		IpAddr::V4(v4) => classify_v4(v4),
		IpAddr::V6(v6) => classify_v6(v6),
	}
}

fn classify_v4(address: Ipv4Addr) -> Option<Restricted> {
	let [a, b, c, _] = address.octets();
	let restricted = if address == Ipv4Addr::BROADCAST {
		Restricted::Broadcast
	} else if a == 0 {
		Restricted::Unspecified
	} else if a == 127 {
		Restricted::Loopback
	} else if a == 10 || (a == 172 && (16..32).contains(&b)) || (a == 192 && b == 168) {
		Restricted::Private
	} else if a == 100 && (64..128).contains(&b) {
		Restricted::SharedAddressSpace
	} else if address == Ipv4Addr::new(169, 254, 169, 254) {
		Restricted::CloudMetadata
	} else if a == 169 && b == 254 {
		Restricted::LinkLocal
	} else if (a == 192 && b == 0 && c == 2)
		|| (a == 198 && b == 51 && c == 100)
		|| (a == 203 && b == 0 && c == 113)
	{
		Restricted::Documentation
	} else if a == 198 && (b == 18 || b == 19) {
		Restricted::Benchmarking
	} else if (224..240).contains(&a) {
		Restricted::Multicast
	} else if a >= 240 || (a == 192 && b == 0 && c == 0) || (a == 192 && b == 88 && c == 99) {
		Restricted::Reserved
	} else {
		return None;
	};
	Some(restricted)
}

fn classify_v6(address: Ipv6Addr) -> Option<Restricted> {
	let bits = u128::from(address);
	let segments = address.segments();
	let first = segments.first().copied().unwrap_or(0);
	let in_network = |base: u128, prefix: u32| {
		let mask = u128::MAX.checked_shl(128 - prefix).unwrap_or(0);
		bits & mask == base
	};
	// The IPv4 address behind a translated one: NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`).
	if in_network(0x0064_ff9b_u128 << 96, 96) {
		return classify_v4(Ipv4Addr::from(bits as u32));
	}
	if first == 0x2002 {
		return classify_v4(Ipv4Addr::from((bits >> 80) as u32));
	}
	let restricted = if address.is_unspecified() {
		Restricted::Unspecified
	} else if address.is_loopback() {
		Restricted::Loopback
	} else if address == Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254) {
		Restricted::CloudMetadata
	} else if first & 0xff00 == 0xff00 {
		Restricted::Multicast
	} else if first & 0xffc0 == 0xfe80 {
		Restricted::LinkLocal
	} else if first & 0xfe00 == 0xfc00 || first & 0xffc0 == 0xfec0 {
		Restricted::UniqueLocal
	} else if in_network(0x2001_0db8_u128 << 96, 32) || in_network(0x3fff_u128 << 112, 20) {
		Restricted::Documentation
	} else if in_network(0x2001_0002_u128 << 96, 48) {
		Restricted::Benchmarking
	} else if first & 0xe000 != 0x2000 || in_network(0x2001_u128 << 112, 23) {
		// Outside global unicast, or the IETF protocol block (Teredo, ORCHID, …).
		Restricted::Reserved
	} else {
		return None;
	};
	Some(restricted)
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used)]

	use super::*;

	fn class(address: &str) -> Option<Restricted> {
		classify(address.parse().unwrap())
	}

	#[test]
	fn rfc1918_private_networks_are_refused() {
		for address in ["10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.254", "192.168.1.1"]
		{
			assert_eq!(class(address), Some(Restricted::Private), "{address}");
		}
		// The neighbours of 172.16.0.0/12 are public.
		assert_eq!(class("172.15.255.255"), None);
		assert_eq!(class("172.32.0.1"), None);
	}

	#[test]
	fn cloud_metadata_service_is_refused() {
		assert_eq!(class("169.254.169.254"), Some(Restricted::CloudMetadata));
		assert_eq!(class("fd00:ec2::254"), Some(Restricted::CloudMetadata));
		assert_eq!(class("::ffff:169.254.169.254"), Some(Restricted::CloudMetadata));
	}

	#[test]
	fn link_local_addresses_are_refused() {
		assert_eq!(class("169.254.0.1"), Some(Restricted::LinkLocal));
		assert_eq!(class("fe80::1"), Some(Restricted::LinkLocal));
	}

	#[test]
	fn carrier_grade_nat_shared_space_is_refused() {
		assert_eq!(class("100.64.0.1"), Some(Restricted::SharedAddressSpace));
		assert_eq!(class("100.127.255.255"), Some(Restricted::SharedAddressSpace));
		assert_eq!(class("100.128.0.1"), None);
	}

	#[test]
	fn loopback_is_refused_in_every_spelling() {
		for address in ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1", "64:ff9b::7f00:1"] {
			assert_eq!(class(address), Some(Restricted::Loopback), "{address}");
		}
		// 6to4 of 127.0.0.1.
		assert_eq!(class("2002:7f00:1::1"), Some(Restricted::Loopback));
	}

	#[test]
	fn unique_local_ipv6_is_refused() {
		assert_eq!(class("fc00::1"), Some(Restricted::UniqueLocal));
		assert_eq!(class("fd12:3456::1"), Some(Restricted::UniqueLocal));
	}

	#[test]
	fn multicast_broadcast_and_unspecified_are_refused() {
		assert_eq!(class("224.0.0.1"), Some(Restricted::Multicast));
		assert_eq!(class("239.255.255.250"), Some(Restricted::Multicast));
		assert_eq!(class("ff02::1"), Some(Restricted::Multicast));
		assert_eq!(class("255.255.255.255"), Some(Restricted::Broadcast));
		assert_eq!(class("0.0.0.0"), Some(Restricted::Unspecified));
		assert_eq!(class("0.1.2.3"), Some(Restricted::Unspecified));
		assert_eq!(class("::"), Some(Restricted::Unspecified));
	}

	#[test]
	fn documentation_benchmarking_and_reserved_ranges_are_refused() {
		for address in ["192.0.2.1", "198.51.100.7", "203.0.113.9", "2001:db8::1", "3fff::1"] {
			assert_eq!(class(address), Some(Restricted::Documentation), "{address}");
		}
		assert_eq!(class("198.18.0.1"), Some(Restricted::Benchmarking));
		assert_eq!(class("198.19.255.1"), Some(Restricted::Benchmarking));
		assert_eq!(class("2001:2::1"), Some(Restricted::Benchmarking));
		for address in ["240.0.0.1", "192.0.0.8", "2001::1", "::1.2.3.4", "100::1"] {
			assert_eq!(class(address), Some(Restricted::Reserved), "{address}");
		}
	}

	#[test]
	fn public_unicast_addresses_are_fetched_from() {
		for address in ["1.1.1.1", "8.8.8.8", "93.184.216.34", "2606:4700::1111", "::ffff:8.8.8.8"]
		{
			assert_eq!(class(address), None, "{address}");
			assert_eq!(check(address.parse().unwrap(), &[]), Ok(()));
		}
		// NAT64 and 6to4 of a public address lead to that address.
		assert_eq!(class("64:ff9b::808:808"), None);
		assert_eq!(class("2002:808:808::1"), None);
	}

	#[test]
	fn an_allow_listed_network_is_reachable_and_nothing_else_is() {
		let allow = ["127.0.0.0/8".parse::<Network>().unwrap(), "fd00::/8".parse().unwrap()];
		assert_eq!(check("127.0.0.1".parse().unwrap(), &allow), Ok(()));
		assert_eq!(check("::ffff:127.0.0.1".parse().unwrap(), &allow), Ok(()));
		assert_eq!(check("fd12::1".parse().unwrap(), &allow), Ok(()));
		assert_eq!(check("::1".parse().unwrap(), &allow), Err(Restricted::Loopback));
		assert_eq!(check("10.0.0.1".parse().unwrap(), &allow), Err(Restricted::Private));
		assert_eq!(check("fc00::1".parse().unwrap(), &allow), Err(Restricted::UniqueLocal));
	}

	#[test]
	fn networks_parse_in_cidr_notation_and_bad_ones_are_refused() {
		let network: Network = "192.168.7.9/16".parse().unwrap();
		assert_eq!(network.to_string(), "192.168.0.0/16");
		assert!(network.contains("192.168.200.1".parse().unwrap()));
		assert!(!network.contains("192.169.0.1".parse().unwrap()));
		let host: Network = "10.1.2.3".parse().unwrap();
		assert_eq!(host.to_string(), "10.1.2.3/32");
		assert!(!host.contains("10.1.2.4".parse().unwrap()));
		let everything: Network = "::/0".parse().unwrap();
		assert!(everything.contains("2001:db8::1".parse().unwrap()));
		assert!(!everything.contains("10.0.0.1".parse().unwrap()), "IPv6 /0 is not IPv4");
		for bad in ["127.0.0.0/33", "::/129", "localhost", "10.0.0.0/x", ""] {
			assert_eq!(bad.parse::<Network>(), Err(NetworkError(bad.into())), "{bad}");
		}
	}
}
