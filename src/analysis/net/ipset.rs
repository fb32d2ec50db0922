//! Sets of IPv4 addresses as sorted, disjoint, non-adjacent ranges: the arithmetic behind "which part of
//! `Storage.EastUS` does this NSG deny". Prefix lists (service tags, NSG prefixes, route prefixes) become
//! sets; union, intersection and difference are linear merges.
//!
//! IPv6 prefixes are skipped: ACR's private endpoints and the service-tag paths acr-audit evaluates are IPv4.

use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// A set of IPv4 addresses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct IpSet {
    /// Inclusive ranges, sorted, disjoint and not touching.
    ranges: Vec<(u32, u32)>,
}

impl IpSet {
    /// The empty set.
    pub fn empty() -> IpSet {
        IpSet::default()
    }

    /// Every IPv4 address.
    pub fn all() -> IpSet {
        IpSet { ranges: vec![(0, u32::MAX)] }
    }

    /// One prefix.
    pub fn from_net(net: Ipv4Net) -> IpSet {
        IpSet { ranges: vec![(u32::from(net.network()), u32::from(net.broadcast()))] }
    }

    /// One address.
    pub fn from_addr(addr: Ipv4Addr) -> IpSet {
        let a = u32::from(addr);
        IpSet { ranges: vec![(a, a)] }
    }

    /// Build from arbitrary inclusive ranges (normalised).
    pub fn from_ranges(mut ranges: Vec<(u32, u32)>) -> IpSet {
        ranges.sort_unstable();
        let mut out: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
        for (lo, hi) in ranges {
            let (lo, hi) = (lo.min(hi), lo.max(hi));
            match out.last_mut() {
                Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
                _ => out.push((lo, hi)),
            }
        }
        IpSet { ranges: out }
    }

    /// Parse `10.0.0.0/16`, `10.0.0.4` or `10.0.0.4/32`. Returns `None` for IPv6 and for text that is neither.
    pub fn parse_prefix(text: &str) -> Option<IpSet> {
        let t = text.trim();
        if let Ok(net) = t.parse::<Ipv4Net>() {
            return Some(IpSet::from_net(net.trunc()));
        }
        t.parse::<Ipv4Addr>().ok().map(IpSet::from_addr)
    }

    /// Whether a text is an IPv6 address or prefix (skipped, not an error).
    pub fn is_ipv6_text(text: &str) -> bool {
        text.contains(':')
    }

    /// The ranges.
    pub fn ranges(&self) -> &[(u32, u32)] {
        &self.ranges
    }

    /// No address.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// Number of addresses.
    pub fn len(&self) -> u64 {
        self.ranges.iter().map(|(lo, hi)| u64::from(hi - lo) + 1).sum()
    }

    /// Membership.
    pub fn contains(&self, addr: Ipv4Addr) -> bool {
        let a = u32::from(addr);
        let i = self.ranges.partition_point(|&(_, hi)| hi < a);
        self.ranges.get(i).map(|&(lo, _)| lo <= a).unwrap_or(false)
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

    /// The fewest CIDR prefixes covering exactly this set (for reports).
    pub fn to_prefixes(&self) -> Vec<Ipv4Net> {
        let mut out = Vec::new();
        for &(lo, hi) in &self.ranges {
            let mut cur = u64::from(lo);
            let end = u64::from(hi);
            while cur <= end {
                let max_align = if cur == 0 { 32 } else { cur.trailing_zeros().min(32) };
                let mut size = max_align;
                while size > 0 && cur + (1u64 << size) - 1 > end {
                    size -= 1;
                }
                let len = (32 - size) as u8;
                if let Ok(net) = Ipv4Net::new(Ipv4Addr::from(cur as u32), len) {
                    out.push(net);
                }
                cur += 1u64 << size;
            }
        }
        out
    }

    /// Up to `n` prefixes as text, for evidence and messages.
    pub fn examples(&self, n: usize) -> Vec<String> {
        self.to_prefixes().into_iter().take(n).map(|p| p.to_string()).collect()
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
        assert_eq!(s.to_prefixes(), vec!["10.0.0.0/24".parse::<Ipv4Net>().unwrap()]);
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
        assert_eq!(IpSet::all().to_prefixes(), vec!["0.0.0.0/0".parse::<Ipv4Net>().unwrap()]);
        assert_eq!(IpSet::all().difference(&IpSet::all()), IpSet::empty());
        assert!(IpSet::parse_prefix("2001:db8::/32").is_none());
    }
}
