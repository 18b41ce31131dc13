//! Who is linked to whom: seeded random regular graphs, lines and rings, and hop counts.

use std::collections::{HashSet, VecDeque};

use serde::Serialize;

use crate::rng::Rng;

/// The shape of the link graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// Every node has exactly `degree` links, chosen at random (seeded).
    Random,
    /// Node i links to i−1 and i+1.
    Line,
    /// A line whose ends are linked.
    Ring,
}

impl std::str::FromStr for Shape {
    type Err = String;
    fn from_str(s: &str) -> Result<Shape, String> {
        match s {
            "random" => Ok(Shape::Random),
            "line" => Ok(Shape::Line),
            "ring" => Ok(Shape::Ring),
            _ => Err(format!("unknown topology {s:?} (random, line, ring)")),
        }
    }
}

/// Why a graph cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum TopologyError {
    /// No such regular graph exists.
    #[error(
        "no {degree}-regular graph on {nodes} nodes (need degree < nodes and nodes × degree even)"
    )]
    Impossible {
        /// Nodes asked for.
        nodes: usize,
        /// Degree asked for.
        degree: usize,
    },
    /// The random pairing kept failing (only for degrees close to `nodes`).
    #[error("could not draw a simple {degree}-regular graph on {nodes} nodes")]
    GaveUp {
        /// Nodes asked for.
        nodes: usize,
        /// Degree asked for.
        degree: usize,
    },
}

/// An undirected simple graph as sorted adjacency lists.
#[derive(Debug, Clone)]
pub struct Graph {
    /// Neighbours of each node, ascending.
    pub adj: Vec<Vec<usize>>,
}

/// Attempts of the pairing before giving up; at the degrees we use (≤ 16 on hundreds of
/// nodes) nearly every attempt succeeds.
const PAIRING_ATTEMPTS: usize = 100;
/// Random stub pairs tried before looking for a fitting pair exhaustively.
const RANDOM_TRIES: usize = 64;

impl Graph {
    /// Build a graph of `nodes` nodes of the given shape.
    pub fn build(
        shape: Shape,
        nodes: usize,
        degree: usize,
        rng: &mut Rng,
    ) -> Result<Graph, TopologyError> {
        match shape {
            Shape::Random => Self::random_regular(nodes, degree, rng),
            Shape::Line | Shape::Ring => {
                let mut adj = vec![Vec::new(); nodes];
                for i in 1..nodes {
                    adj[i - 1].push(i);
                    adj[i].push(i - 1);
                }
                if shape == Shape::Ring && nodes > 2 {
                    adj[0].push(nodes - 1);
                    adj[nodes - 1].push(0);
                }
                adj.iter_mut().for_each(|a| a.sort_unstable());
                Ok(Graph { adj })
            }
        }
    }

    /// A random simple `degree`-regular graph by the algorithm of Steger and Wormald
    /// (1999): each node offers `degree` stubs; stubs are paired at random, but only
    /// pairs that make neither a self-loop nor a second link between two nodes are
    /// accepted; if no such pair is left the attempt starts over. The result is
    /// asymptotically uniform for the degrees we use, and connected with high probability
    /// for degree ≥ 3, which [`Graph::is_connected`] checks. (Plain pairing with restarts
    /// is exactly uniform but succeeds with probability about `exp(-(d²-1)/4)`: one in
    /// seven million at degree 8.)
    fn random_regular(nodes: usize, degree: usize, rng: &mut Rng) -> Result<Graph, TopologyError> {
        if degree >= nodes || (nodes * degree) % 2 == 1 {
            return Err(TopologyError::Impossible { nodes, degree });
        }
        'attempt: for _ in 0..PAIRING_ATTEMPTS {
            let mut stubs: Vec<usize> = (0..nodes)
                .flat_map(|v| std::iter::repeat_n(v, degree))
                .collect();
            let mut adj: Vec<HashSet<usize>> = vec![HashSet::with_capacity(degree); nodes];
            let fits = |adj: &[HashSet<usize>], a: usize, b: usize| a != b && !adj[a].contains(&b);
            while !stubs.is_empty() {
                let mut pick = None;
                for _ in 0..RANDOM_TRIES {
                    let (i, j) = (rng.below(stubs.len()), rng.below(stubs.len()));
                    if i != j && fits(&adj, stubs[i], stubs[j]) {
                        pick = Some((i, j));
                        break;
                    }
                }
                if pick.is_none() {
                    // Few stubs left: choose among the pairs that still fit, if any.
                    let fitting: Vec<(usize, usize)> = (0..stubs.len())
                        .flat_map(|i| (i + 1..stubs.len()).map(move |j| (i, j)))
                        .filter(|&(i, j)| fits(&adj, stubs[i], stubs[j]))
                        .collect();
                    if fitting.is_empty() {
                        continue 'attempt;
                    }
                    pick = Some(fitting[rng.below(fitting.len())]);
                }
                let Some((i, j)) = pick else {
                    continue 'attempt;
                };
                let (a, b) = (stubs[i], stubs[j]);
                adj[a].insert(b);
                adj[b].insert(a);
                // Remove the higher index first so the lower one stays valid.
                stubs.swap_remove(i.max(j));
                stubs.swap_remove(i.min(j));
            }
            let g = Graph {
                adj: adj
                    .into_iter()
                    .map(|s| {
                        let mut v: Vec<usize> = s.into_iter().collect();
                        v.sort_unstable();
                        v
                    })
                    .collect(),
            };
            if g.is_connected() {
                return Ok(g);
            }
        }
        Err(TopologyError::GaveUp { nodes, degree })
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.adj.len()
    }

    /// Whether the graph has no nodes.
    pub fn is_empty(&self) -> bool {
        self.adj.is_empty()
    }

    /// Whether every node can reach every other.
    pub fn is_connected(&self) -> bool {
        self.hops_from(0, |_| true).iter().all(Option::is_some)
    }

    /// Hop counts from `source` over nodes for which `up` holds (`None`: unreachable).
    pub fn hops_from(&self, source: usize, up: impl Fn(usize) -> bool) -> Vec<Option<u32>> {
        hops(&self.adj, source, up)
    }
}

/// Breadth-first hop counts from `source` over adjacency lists, through nodes for which
/// `up` holds.
pub fn hops<A: AsRef<[usize]>>(
    adj: &[A],
    source: usize,
    up: impl Fn(usize) -> bool,
) -> Vec<Option<u32>> {
    let mut dist = vec![None; adj.len()];
    if source >= adj.len() || !up(source) {
        return dist;
    }
    dist[source] = Some(0);
    let mut queue = VecDeque::from([source]);
    while let Some(v) = queue.pop_front() {
        let d = dist[v].unwrap_or(0);
        for &w in adj[v].as_ref() {
            if w < adj.len() && dist[w].is_none() && up(w) {
                dist[w] = Some(d + 1);
                queue.push_back(w);
            }
        }
    }
    dist
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_regular_is_regular_simple_connected_and_seeded() {
        let g = Graph::build(Shape::Random, 200, 8, &mut Rng::new(1)).expect("builds");
        assert_eq!(g.len(), 200);
        for (v, a) in g.adj.iter().enumerate() {
            assert_eq!(a.len(), 8);
            assert!(!a.contains(&v));
            let set: HashSet<_> = a.iter().collect();
            assert_eq!(set.len(), 8);
            for w in a {
                assert!(g.adj[*w].contains(&v));
            }
        }
        assert!(g.is_connected());
        let again = Graph::build(Shape::Random, 200, 8, &mut Rng::new(1)).expect("builds");
        assert_eq!(g.adj, again.adj);
        let other = Graph::build(Shape::Random, 200, 8, &mut Rng::new(2)).expect("builds");
        assert_ne!(g.adj, other.adj);
    }

    #[test]
    fn impossible_regular_graphs_are_refused() {
        assert!(Graph::build(Shape::Random, 5, 3, &mut Rng::new(1)).is_err());
        assert!(Graph::build(Shape::Random, 4, 4, &mut Rng::new(1)).is_err());
    }

    #[test]
    fn hops_on_a_line_and_a_ring() {
        let line = Graph::build(Shape::Line, 5, 0, &mut Rng::new(1)).expect("builds");
        let h: Vec<_> = line.hops_from(0, |_| true);
        assert_eq!(h, vec![Some(0), Some(1), Some(2), Some(3), Some(4)]);
        let ring = Graph::build(Shape::Ring, 5, 0, &mut Rng::new(1)).expect("builds");
        assert_eq!(ring.hops_from(0, |_| true)[4], Some(1));
        // A node that is down cuts the line.
        assert_eq!(line.hops_from(0, |v| v != 2)[4], None);
    }
}
