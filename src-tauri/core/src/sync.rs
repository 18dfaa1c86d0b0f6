//! One way to take a lock across the core.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// Takes the lock even if a thread panicked while holding it. Every mutex here guards plain
/// data that each write leaves whole (maps, counters, a cached handle), so the data a panic
/// left behind is still good, and refusing it would turn one panic into many.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
