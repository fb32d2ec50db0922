//! A counting semaphore with two queues: continuation pages of a list go before everything else.
//!
//! A collection's critical path is its longest paging chain (5,000 NSGs at 100 a page is 50 sequential
//! requests). With a plain FIFO semaphore each next page would queue behind hundreds of child requests; with a
//! reserved lane, permits would sit idle once the chains end. Here a released permit goes to the oldest
//! waiting continuation page if there is one, else to the oldest other request, else back to the pool.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

#[derive(Debug, Default)]
struct State {
    available: usize,
    priority: VecDeque<oneshot::Sender<()>>,
    normal: VecDeque<oneshot::Sender<()>>,
}

/// The gate every ARM request passes.
#[derive(Debug, Clone)]
pub(crate) struct Gate {
    state: Arc<Mutex<State>>,
}

/// A held permit; dropping it hands the permit on.
#[derive(Debug)]
pub(crate) struct Permit {
    state: Arc<Mutex<State>>,
}

impl Gate {
    pub(crate) fn new(permits: usize) -> Gate {
        Gate { state: Arc::new(Mutex::new(State { available: permits.max(1), ..State::default() })) }
    }

    /// Wait for a permit; `priority` requests are served first.
    pub(crate) async fn acquire(&self, priority: bool) -> Permit {
        let rx = {
            let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
            if s.available > 0 {
                s.available -= 1;
                None
            } else {
                let (tx, rx) = oneshot::channel();
                if priority {
                    s.priority.push_back(tx);
                } else {
                    s.normal.push_back(tx);
                }
                Some(rx)
            }
        };
        if let Some(rx) = rx {
            // The sender is only dropped after handing over the permit (or by a dropped gate): either way the
            // caller may proceed, and the permit count stays balanced.
            let _ = rx.await;
        }
        Permit { state: self.state.clone() }
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let next = s.priority.pop_front().or_else(|| s.normal.pop_front());
            match next {
                // A waiter that gave up (its future was dropped) cannot take the permit: try the next one.
                Some(tx) => {
                    if tx.send(()).is_ok() {
                        return;
                    }
                }
                None => {
                    s.available += 1;
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Gate;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[tokio::test]
    async fn continuation_pages_overtake_queued_requests_and_the_bound_holds() {
        let gate = Gate::new(1);
        let first = gate.acquire(false).await;
        let order = Arc::new(std::sync::Mutex::new(Vec::new()));
        let in_flight = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for (name, priority) in [("normal-1", false), ("normal-2", false), ("page", true)] {
            let (gate, order, in_flight) = (gate.clone(), order.clone(), in_flight.clone());
            tasks.push(tokio::spawn(async move {
                let _p = gate.acquire(priority).await;
                assert_eq!(in_flight.fetch_add(1, Ordering::SeqCst), 0, "one permit, one holder");
                order.lock().unwrap().push(name);
                tokio::task::yield_now().await;
                in_flight.fetch_sub(1, Ordering::SeqCst);
            }));
            tokio::task::yield_now().await;
        }
        drop(first);
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(*order.lock().unwrap(), vec!["page", "normal-1", "normal-2"]);
    }
}
