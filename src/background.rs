//! Background threads (saves, exports, recovery copies) step aside for the editor's own
//! thread, so that a long save on a busy machine does not slow typing and scrolling.

/// Lowers the calling thread's scheduling priority (Linux: per-thread nice 10). Does
/// nothing where threads cannot be niced alone.
pub fn lower_current_thread_priority() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: setpriority has no memory effects; on Linux, `who = 0` with
        // PRIO_PROCESS names the calling thread only. Failure leaves the priority as it was.
        unsafe {
            libc::setpriority(libc::PRIO_PROCESS, 0, 10);
        }
    }
}
