//! Sets of IP addresses, both families, as sorted, disjoint, non-adjacent ranges: the arithmetic behind
//! "which part of `Storage.EastUS` does this NSG deny". Prefix lists (service tags, NSG prefixes, route prefixes)
//! become sets; union, intersection and difference are linear merges.
//!
//! One 128-bit address space holds both families: IPv6 addresses as themselves, IPv4 addresses at their
//! IPv4-mapped position `::ffff:a.b.c.d` (RFC 4291 §2.5.5.2). An IPv6 prefix never covers that block (it is
//! cut out when the prefix is parsed), so the families never mix: an IPv6 prefix in an NSG rule or a route
//! neither matches nor blocks an IPv4 address, and a set holding both families (a service tag, `*`) answers
//! for each family separately. [`IpSet::family`] picks one family out.

use crate::analysis::facts::AddressFamily;
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Where IPv4 lives in the 128-bit space: `::ffff:0.0.0.0`.
const V4_BASE: u128 = 0xffff_0000_0000;
/// The last IPv4 address, `::ffff:255.255.255.255`.
const V4_END: u128 = V4_BASE + u32::MAX as u128;

fn v4(addr: Ipv4Addr) -> u128 {
    V4_BASE + u128::from(u32::from(addr))
}

/// A set of IP addresses (IPv4 and IPv6).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct IpSet {
    /// Inclusive ranges over the 128-bit space, sorted, disjoint and not touching.
    ranges: Vec<(u128, u128)>,
}

impl IpSet {
    /// The empty set.
    pub fn empty() -> IpSet {
        IpSet::default()
    }

    /// Every address of both families (`*` in an NSG rule).
    pub fn all() -> IpSet {
        IpSet { ranges: vec![(0, u128::MAX)] }
    }

    /// Every address of one family.
    pub fn all_of(family: AddressFamily) -> IpSet {
        match family {
            AddressFamily::Ipv4 => IpSet { ranges: vec![(V4_BASE, V4_END)] },
            AddressFamily::Ipv6 => IpSet { ranges: vec![(0, V4_BASE - 1), (V4_END + 1, u128::MAX)] },
        }
    }

    /// One IPv4 prefix.
    pub fn from_net(net: Ipv4Net) -> IpSet {
        IpSet { ranges: vec![(v4(net.network()), v4(net.broadcast()))] }
    }

    /// One IPv6 prefix, without the IPv4-mapped block (which is IPv4's, not IPv6's).
    pub fn from_net6(net: Ipv6Net) -> IpSet {
        let set = IpSet { ranges: vec![(u128::from(net.network()), u128::from(net.broadcast()))] };
        set.intersection(&IpSet::all_of(AddressFamily::Ipv6))
    }

    /// One prefix of either family.
    pub fn from_ipnet(net: IpNet) -> IpSet {
        match net {
            IpNet::V4(n) => IpSet::from_net(n.trunc()),
            IpNet::V6(n) => IpSet::from_net6(n.trunc()),
        }
    }

    /// One IPv4 address.
    pub fn from_addr(addr: Ipv4Addr) -> IpSet {
        let a = v4(addr);
        IpSet { ranges: vec![(a, a)] }
    }

    /// One address of either family.
    pub fn from_ip(addr: IpAddr) -> IpSet {
        match addr {
            IpAddr::V4(a) => IpSet::from_addr(a),
            IpAddr::V6(a) => IpSet::from_net6(Ipv6Net::from(a)),
        }
    }

    /// The addresses from `lo` to `hi` inclusive (an Azure Firewall / IP group range `a-b`); `None` when the ends
    /// are of different families or out of order.
    pub fn range(lo: IpAddr, hi: IpAddr) -> Option<IpSet> {
        let (a, b) = match (lo, hi) {
            (IpAddr::V4(a), IpAddr::V4(b)) => (v4(a), v4(b)),
            (IpAddr::V6(a), IpAddr::V6(b)) => (u128::from(a), u128::from(b)),
            _ => return None,
        };
        if a > b {
            return None;
        }
        let set = IpSet { ranges: vec![(a, b)] };
        Some(match lo {
            IpAddr::V4(_) => set,
            IpAddr::V6(_) => set.intersection(&IpSet::all_of(AddressFamily::Ipv6)),
        })
    }

    /// Build from arbitrary inclusive ranges (normalised).
    fn from_ranges(mut ranges: Vec<(u128, u128)>) -> IpSet {
        ranges.sort_unstable();
        let mut out: Vec<(u128, u128)> = Vec::with_capacity(ranges.len());
        for (lo, hi) in ranges {
            let (lo, hi) = (lo.min(hi), lo.max(hi));
            match out.last_mut() {
                Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
                _ => out.push((lo, hi)),
            }
        }
        IpSet { ranges: out }
    }

    /// Parse a prefix or address of either family: `10.0.0.0/16`, `10.0.0.4`, `fd00::/8`, `2001:db8::1`.
    /// Returns `None` for text that is neither (a service tag, garbage).
    pub fn parse_prefix(text: &str) -> Option<IpSet> {
        let t = text.trim();
        if let Ok(net) = t.parse::<IpNet>() {
            return Some(IpSet::from_ipnet(net));
        }
        t.parse::<IpAddr>().ok().map(IpSet::from_ip)
    }

    /// Whether a text is an IPv6 address or prefix.
    pub fn is_ipv6_text(text: &str) -> bool {
        text.contains(':')
    }

    /// No address.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// The IPv4 `/8` blocks (first octets) the set touches, ascending; `None` when it holds IPv6 addresses or
    /// touches more than `max` blocks. Used to index rules by destination.
    pub fn v4_blocks(&self, max: usize) -> Option<Vec<u8>> {
        let mut out: Vec<u8> = Vec::new();
        for &(lo, hi) in &self.ranges {
            if lo < V4_BASE || hi > V4_END {
                return None;
            }
            let (a, b) = (((lo - V4_BASE) >> 24) as u8, ((hi - V4_BASE) >> 24) as u8);
            if usize::from(b - a) >= max {
                return None;
            }
            for x in a..=b {
                if out.last() != Some(&x) {
                    out.push(x);
                }
            }
            if out.len() > max {
                return None;
            }
        }
        Some(out)
    }

    /// Number of addresses, saturating at `u64::MAX` (an IPv6 prefix can hold more).
    pub fn len(&self) -> u64 {
        let total = self.ranges.iter().fold(0u128, |acc, (lo, hi)| acc.saturating_add((hi - lo).saturating_add(1)));
        u64::try_from(total).unwrap_or(u64::MAX)
    }

    /// Membership of an IPv4 address.
    pub fn contains(&self, addr: Ipv4Addr) -> bool {
        self.contains_value(v4(addr))
    }

    /// Membership of an address of either family.
    pub fn contains_ip(&self, addr: IpAddr) -> bool {
        match addr {
            IpAddr::V4(a) => self.contains(a),
            IpAddr::V6(a) => !self.is_v4_value(u128::from(a)) && self.contains_value(u128::from(a)),
        }
    }

    fn is_v4_value(&self, a: u128) -> bool {
        (V4_BASE..=V4_END).contains(&a)
    }

    fn contains_value(&self, a: u128) -> bool {
        let i = self.ranges.partition_point(|&(_, hi)| hi < a);
        self.ranges.get(i).map(|&(lo, _)| lo <= a).unwrap_or(false)
    }

    /// The part of the set in one family.
    pub fn family(&self, family: AddressFamily) -> IpSet {
        self.intersection(&IpSet::all_of(family))
    }

    /// The families the set has addresses of, IPv4 first.
    pub fn families(&self) -> Vec<AddressFamily> {
        [AddressFamily::Ipv4, AddressFamily::Ipv6].into_iter().filter(|f| self.intersects(&IpSet::all_of(*f))).collect()
    }

    /// `self ⊇ other`.
    pub fn contains_set(&self, other: &IpSet) -> bool {
        other.difference(self).is_empty()
    }

    /// Any address in common.
    pub fn intersects(&self, other: &IpSet) -> bool {
        let (mut i, mut j) = (0, 0);
        while i < self.ranges.len() && j < other.ranges.len() {
            let (a, b) = (self.ranges[i], other.ranges[j]);
            if a.1 < b.0 {
                i += 1;
            } else if b.1 < a.0 {
                j += 1;
            } else {
                return true;
            }
        }
        false
    }

    /// `self ∪ other`.
    pub fn union(&self, other: &IpSet) -> IpSet {
        let mut all = self.ranges.clone();
        all.extend_from_slice(&other.ranges);
        IpSet::from_ranges(all)
    }

    /// `self ∩ other`.
    pub fn intersection(&self, other: &IpSet) -> IpSet {
        let (mut i, mut j) = (0, 0);
        let mut out = Vec::new();
        while i < self.ranges.len() && j < other.ranges.len() {
            let (a, b) = (self.ranges[i], other.ranges[j]);
            let (lo, hi) = (a.0.max(b.0), a.1.min(b.1));
            if lo <= hi {
                out.push((lo, hi));
            }
            if a.1 < b.1 {
                i += 1;
            } else {
                j += 1;
            }
        }
        IpSet { ranges: out }
    }

    /// `self − other`.
    pub fn difference(&self, other: &IpSet) -> IpSet {
        let mut out = Vec::new();
        let mut j = 0;
        for &(lo, hi) in &self.ranges {
            let mut cur = lo;
            let mut done = false;
            while j < other.ranges.len() && other.ranges[j].1 < cur {
                j += 1;
            }
            let mut k = j;
            while k < other.ranges.len() && other.ranges[k].0 <= hi {
                let (olo, ohi) = other.ranges[k];
                if olo > cur {
                    out.push((cur, olo - 1));
                }
                if ohi >= hi {
                    done = true;
                    break;
                }
                cur = ohi + 1;
                k += 1;
            }
            if !done {
                out.push((cur, hi));
            }
        }
        IpSet { ranges: out }
    }

    /// The fewest CIDR prefixes covering exactly this set (for reports), IPv6 below the IPv4 block first, then
    /// IPv4, then the rest of IPv6 (the order of the 128-bit space).
    pub fn to_prefixes(&self) -> Vec<IpNet> {
        let mut out = Vec::new();
        for &(lo, hi) in &self.ranges {
            // Split at the IPv4 block so each piece is one family.
            if lo < V4_BASE {
                split_v6(lo, hi.min(V4_BASE - 1), &mut out);
            }
            let (vlo, vhi) = (lo.max(V4_BASE), hi.min(V4_END));
            if vlo <= vhi {
                split(vlo - V4_BASE, vhi - V4_BASE, 32, &mut |start, len| {
                    let addr = Ipv4Addr::from(start as u32);
                    if let Ok(net) = Ipv4Net::new(addr, len) {
                        out.push(IpNet::V4(net));
                    }
                });
            }
            if hi > V4_END {
                split_v6(lo.max(V4_END + 1), hi, &mut out);
            }
        }
        out
    }

    /// Up to `n` prefixes as text, for evidence and messages.
    pub fn examples(&self, n: usize) -> Vec<String> {
        self.to_prefixes().into_iter().take(n).map(|p| p.to_string()).collect()
    }
}

fn split_v6(lo: u128, hi: u128, out: &mut Vec<IpNet>) {
    split(lo, hi, 128, &mut |start, len| {
        if let Ok(net) = Ipv6Net::new(Ipv6Addr::from(start), len) {
            out.push(IpNet::V6(net));
        }
    });
}

/// Cover `[lo, hi]` of a `bits`-wide space with the fewest aligned blocks, calling `emit(start, prefix_len)`.
fn split(lo: u128, hi: u128, bits: u32, emit: &mut dyn FnMut(u128, u8)) {
    let mut cur = lo;
    loop {
        let mut size = if cur == 0 { bits } else { cur.trailing_zeros().min(bits) };
        // The block [cur, cur + 2^size - 1] must end at or before `hi`.
        while size > 0 && block_last(cur, size) > hi {
            size -= 1;
        }
        emit(cur, (bits - size) as u8);
        let last = block_last(cur, size);
        if last >= hi {
            break;
        }
        cur = last + 1;
    }
}

fn block_last(start: u128, size: u32) -> u128 {
    if size >= 128 {
        u128::MAX
    } else {
        start | ((1u128 << size) - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(prefixes: &[&str]) -> IpSet {
        prefixes.iter().fold(IpSet::empty(), |acc, p| acc.union(&IpSet::parse_prefix(p).unwrap()))
    }

    #[test]
    fn union_merges_adjacent_prefixes() {
        let s = set(&["10.0.0.0/25", "10.0.0.128/25"]);
        assert_eq!(s.to_prefixes(), vec!["10.0.0.0/24".parse::<IpNet>().unwrap()]);
    }

    #[test]
    fn difference_splits_into_minimal_prefixes() {
        let s = set(&["10.0.0.0/24"]).difference(&set(&["10.0.0.64/26"]));
        assert_eq!(s.examples(5), vec!["10.0.0.0/26", "10.0.0.128/25"]);
        assert_eq!(s.len(), 192);
    }

    #[test]
    fn intersection_and_containment() {
        let tag = set(&["20.38.98.0/24", "20.60.0.0/19"]);
        let rule = set(&["20.60.0.0/16"]);
        assert_eq!(tag.intersection(&rule), set(&["20.60.0.0/19"]));
        assert!(rule.contains_set(&set(&["20.60.4.0/24"])));
        assert!(!rule.contains_set(&tag));
        assert!(tag.contains("20.38.98.7".parse().unwrap()));
        assert!(!tag.contains("20.38.99.7".parse().unwrap()));
    }

    #[test]
    fn whole_space_round_trips() {
        let v4 = IpSet::all_of(AddressFamily::Ipv4);
        assert_eq!(v4.to_prefixes(), vec!["0.0.0.0/0".parse::<IpNet>().unwrap()]);
        assert_eq!(IpSet::parse_prefix("0.0.0.0/0").unwrap(), v4);
        assert_eq!(IpSet::all().difference(&IpSet::all()), IpSet::empty());
        assert_eq!(IpSet::all().family(AddressFamily::Ipv4), v4);
        assert_eq!(v4.union(&IpSet::all_of(AddressFamily::Ipv6)), IpSet::all());
        assert_eq!(IpSet::all().len(), u64::MAX, "the count saturates");
    }

    #[test]
    fn the_families_never_overlap() {
        // `::/0` is every IPv6 address and no IPv4 one, even though IPv4 sits inside the 128-bit space.
        let v6_all = IpSet::parse_prefix("::/0").unwrap();
        assert!(!v6_all.contains("10.1.2.3".parse().unwrap()));
        assert!(v6_all.contains_ip("2001:db8::1".parse().unwrap()));
        assert_eq!(v6_all, IpSet::all_of(AddressFamily::Ipv6));
        assert_eq!(v6_all.families(), vec![AddressFamily::Ipv6]);
        assert!(v6_all.to_prefixes().iter().all(|p| matches!(p, IpNet::V6(_))));
        let mixed = set(&["10.1.0.0/16", "fd00::/8"]);
        assert_eq!(mixed.families(), vec![AddressFamily::Ipv4, AddressFamily::Ipv6]);
        assert_eq!(mixed.family(AddressFamily::Ipv4), set(&["10.1.0.0/16"]));
        assert_eq!(mixed.family(AddressFamily::Ipv6), set(&["fd00::/8"]));
        assert_eq!(mixed.examples(5), vec!["10.1.0.0/16", "fd00::/8"]);
        assert!(!set(&["fd00::/8"]).intersects(&set(&["10.0.0.0/8"])));
        assert_eq!(IpSet::parse_prefix("2001:db8::1").unwrap().len(), 1);
        assert!(IpSet::parse_prefix("Storage.EastUS").is_none());
    }
}
